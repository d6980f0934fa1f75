using Baton.Durable;
using Baton.Orchestrations.Conductor;
using Baton.Webhooks.GitHub;

namespace Baton.Orchestrations;

/// <summary>The router's input and custom status: how many deliveries it has routed since it was first started.</summary>
public sealed record GitHubRouterState(long Routed)
{
    public static readonly GitHubRouterState First = new(0);
}

/// <summary>
/// The one GitHub router of a Baton (instance <c>github-router</c>, never finishing). Intake records each accepted
/// delivery as a <see cref="DeliveryEvent"/> raised on it, with the <c>X-GitHub-Delivery</c> id as the event's
/// idempotency key, so a redelivery adds nothing. The router signals the orchestrations each delivery concerns
/// (<see cref="DeliverySignals"/>) and continues as new every <see cref="DeliveriesPerExecution"/> deliveries, so its
/// history stays short; deliveries not yet routed wait in its inbox across that.
/// </summary>
public sealed class RouteGitHubDeliveriesOrchestration : TaskOrchestrator<GitHubRouterState, GitHubRouterState>
{
    public const string InstanceId = "github-router";

    /// <summary>The event intake raises; its payload is a <see cref="GitHubDelivery"/>.</summary>
    public const string DeliveryEvent = "delivery";

    /// <summary>Big enough that a burst is routed in few episodes, small enough that replaying the history is cheap: every
    /// episode replays the execution so far. Under a burst of 16 deliveries at a time, 50 routes about 10 % more
    /// deliveries per second than 200 (docs/benchmarks.md), 20 far fewer (each ContinueAsNew rewrites the history).</summary>
    public const int DeliveriesPerExecution = 50;

    public override async Task<GitHubRouterState> RunAsync(TaskOrchestrationContext context, GitHubRouterState state)
    {
        var routed = state.Routed;
        context.SetCustomStatus(state);   // a new execution shows its running total before its first delivery
        DateTime? conductorWokenAt = null;
        for (var i = 0; i < DeliveriesPerExecution; i++)
        {
            var delivery = await context.WaitForExternalEvent<GitHubDelivery>(DeliveryEvent);
            foreach (var signal in DeliverySignals.For(delivery, context.CurrentUtcDateTime))
            {
                // Every delivery routed in one episode arrived before the episode's time, which the wake carries: the
                // episode's first wake covers them all (ConductorRules.IsCoveredBy), so the others are not sent.
                if (signal.WakesConductor)
                {
                    if (conductorWokenAt == context.CurrentUtcDateTime) continue;
                    conductorWokenAt = context.CurrentUtcDateTime;
                }
                context.SendEvent(signal.InstanceId, signal.EventName, signal.Payload);
            }
            context.SetCustomStatus(new GitHubRouterState(++routed));
        }

        var next = new GitHubRouterState(routed);
        context.ContinueAsNew(next);
        return next;
    }
}
