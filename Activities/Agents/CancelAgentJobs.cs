using Microsoft.DurableTask;

namespace Baton.Activities.Agents;

/// <summary>
/// Cancels the agent jobs an orchestration still has queued or running (the issue was closed while one ran). It also
/// lets that orchestration finish: DTFx completes an orchestration only once no task it scheduled is outstanding, and
/// a job nobody runs would otherwise stay outstanding for ever.
/// </summary>
public sealed class CancelAgentJobs(AgentJobs jobs) : TaskActivity<string, int>
{
    public override Task<int> RunAsync(TaskActivityContext context, string instanceId) =>
        jobs.CancelJobsOfAsync(instanceId, CancellationToken.None);
}
