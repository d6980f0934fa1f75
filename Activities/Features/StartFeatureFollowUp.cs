using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrchestrationAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Baton.Activities.Features;

/// <summary>Starts following a created feature (<c>feature-progress:{KEY}</c>), once: an existing instance in any state is
/// left alone, so a repeated start is a no-op.</summary>
public sealed class StartFeatureFollowUp(DurableTaskClient durable) : TaskActivity<FeatureFollowUp, bool>
{
    static readonly string[] AnyStatus = Enum.GetNames<OrchestrationRuntimeStatus>();

    public override async Task<bool> RunAsync(TaskActivityContext context, FeatureFollowUp followUp)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(FollowFeatureOrchestration), followUp,
                new StartOrchestrationOptions { InstanceId = FollowFeatureOrchestration.InstanceIdFor(followUp.IssueKey), DedupeStatuses = AnyStatus },
                CancellationToken.None);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
