using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Activities.Jira;

/// <summary>
/// Starts a feature's orchestration under <c>feature:{KEY}</c>, once: an instance in any state (running, completed,
/// failed) is left alone, so a repeated start — a retried activity, a second delivery — is a no-op.
/// </summary>
public sealed class StartFeature(DurableTaskClient durable) : TaskActivity<FeatureRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, FeatureRequest feature) =>
        durable.StartOnceAsync(nameof(FeatureOrchestration), feature, FeatureOrchestration.InstanceIdFor(feature.IssueKey), CancellationToken.None);
}
