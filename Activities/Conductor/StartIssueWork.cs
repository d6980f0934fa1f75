using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrchestrationAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

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
                new StartOrchestrationOptions { InstanceId = ConductorEvents.IssueInstanceId(issue) }, CancellationToken.None);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
