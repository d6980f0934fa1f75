using Baton.Durable;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;

namespace Baton.Activities.Conductor;

/// <summary>
/// Starts the issue's own orchestration under its deterministic id <c>issue:{owner}/{repo}#{number}</c>. A live one
/// is left alone, so a repeated start (a retried activity, a second planning round) is a no-op.
/// </summary>
public sealed class StartIssueWork(DurableTaskClient durable) : TaskActivity<IssueRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, IssueRef issue)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(IssueOrchestration), issue,
                new StartOrchestrationOptions { InstanceId = ConductorEvents.IssueInstanceId(issue) }, context.CancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
