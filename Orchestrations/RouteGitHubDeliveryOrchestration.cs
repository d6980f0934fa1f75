using Baton.Durable;
using Baton.Webhooks.GitHub;

namespace Baton.Orchestrations;

/// <summary>
/// One accepted GitHub delivery, recorded durably under the instance id <c>github-delivery:{X-GitHub-Delivery}</c>
/// so that a redelivery finds it and starts nothing. It signals the orchestrations the delivery concerns (the
/// conductor, an issue's orchestration; see <see cref="DeliverySignals"/>) and records its route as its output.
/// </summary>
public sealed class RouteGitHubDeliveryOrchestration : TaskOrchestrator<GitHubDelivery, GitHubRouteKind>
{
    public override Task<GitHubRouteKind> RunAsync(TaskOrchestrationContext context, GitHubDelivery input)
    {
        foreach (var signal in DeliverySignals.For(input))
            context.SendEvent(signal.InstanceId, signal.EventName, signal.Payload);
        return Task.FromResult(input.Route);
    }
}
