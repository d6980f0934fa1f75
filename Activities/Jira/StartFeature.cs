using Baton.Orchestrations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrchestrationAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Baton.Activities.Jira;

/// <summary>
/// Starts a feature's orchestration under <c>feature:{KEY}</c>, once: an instance in any state (running, completed,
/// failed) is left alone, so a repeated start — a retried activity, a second delivery — is a no-op.
/// </summary>
public sealed class StartFeature(DurableTaskClient durable) : TaskActivity<FeatureRequest, bool>
{
    static readonly string[] AnyStatus = Enum.GetNames<OrchestrationRuntimeStatus>();

    public override async Task<bool> RunAsync(TaskActivityContext context, FeatureRequest feature)
    {
        try
        {
            await durable.ScheduleNewOrchestrationInstanceAsync(nameof(FeatureOrchestration), feature,
                new StartOrchestrationOptions { InstanceId = FeatureOrchestration.InstanceIdFor(feature.IssueKey), DedupeStatuses = AnyStatus },
                CancellationToken.None);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
