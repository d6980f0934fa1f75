using Baton.Webhooks.GitHub;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>
/// Routes one accepted GitHub delivery: intake starts it under the delivery's own instance id
/// (<see cref="InstanceIdFor"/>, from <c>X-GitHub-Delivery</c>), so a redelivery finds that instance and starts nothing —
/// idempotent intake with nothing beyond the Durable Task programming model, on any storage provider. It signals the
/// orchestrations the delivery concerns (<see cref="DeliverySignals"/>) and ends; retention purges it like any finished
/// instance, which bounds how long a redelivery is recognised (<c>Durable__Retention__Completed</c>, 7 days).
/// </summary>
public sealed class RouteGitHubDeliveryOrchestration : TaskOrchestrator<GitHubDelivery, int>
{
    public const string InstanceIdPrefix = "github-delivery:";

    public static string InstanceIdFor(string deliveryId) => InstanceIdPrefix + deliveryId;

    public override Task<int> RunAsync(TaskOrchestrationContext context, GitHubDelivery delivery)
    {
        // The wake carries this episode's time: the conductor skips it if its board read started later (ConductorRules.IsCoveredBy).
        var signals = DeliverySignals.For(delivery, context.CurrentUtcDateTime);
        foreach (var signal in signals) context.SendEvent(signal.InstanceId, signal.EventName, signal.Payload);
        return Task.FromResult(signals.Count);
    }
}
