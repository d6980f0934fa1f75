using Baton.Hosting;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Activities.Features;

/// <summary>Starts following a created feature (<c>feature-progress:{KEY}</c>), once: an existing instance in any state is
/// left alone, so a repeated start is a no-op.</summary>
public sealed class StartFeatureFollowUp(DurableTaskClient durable) : TaskActivity<FeatureFollowUp, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, FeatureFollowUp followUp) =>
        durable.StartOnceAsync(nameof(FollowFeatureOrchestration), followUp, FollowFeatureOrchestration.InstanceIdFor(followUp.IssueKey), CancellationToken.None);
}
