using Baton.Durable;
using Baton.Webhooks.GitHub;

namespace Baton.Orchestrations;

/// <summary>
/// One accepted GitHub delivery, recorded durably under the instance id <c>github-delivery:{X-GitHub-Delivery}</c>
/// so that a redelivery finds it and starts nothing. For now it only records where the delivery routes (its
/// output); waking the conductor with it is the conductor's piece of issue 3, not built yet.
/// </summary>
public sealed class RouteGitHubDeliveryOrchestration : TaskOrchestrator<GitHubDelivery, GitHubRouteKind>
{
    public override Task<GitHubRouteKind> RunAsync(TaskOrchestrationContext context, GitHubDelivery input) =>
        Task.FromResult(input.Route);
}
