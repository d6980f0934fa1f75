using Baton.Durable;
using Baton.Durable.Http;
using Baton.Orchestrations;
using Baton.Webhooks.GitHub;

namespace Baton.Functions;

/// <summary>What the caller is told about an accepted delivery.</summary>
/// <param name="Outcome"><c>recorded</c>, <c>duplicate</c> (a redelivery, nothing new) or <c>ignored</c> (no route).</param>
/// <param name="InstanceId">The router that records and routes the delivery (<c>github-router</c>); null when ignored.</param>
public sealed record GitHubWebhookReceipt(
    string DeliveryId, string Event, string? Action, GitHubRouteKind Route, string Outcome, string? InstanceId, string? StatusQueryGetUri);

/// <summary>
/// <c>POST /api/github/webhook</c>: verify, parse, record the delivery as an event on the GitHub router keyed by its
/// delivery id (one write), answer 202. A redelivery finds its key and is answered 202 again without a second event.
/// </summary>
public sealed class GitHubWebhookFunction(GitHubWebhookOptions options, ILogger logger)
{
    public const string Route = "/api/github/webhook";

    public async Task<IResult> ReceiveAsync(HttpRequest request, DurableTaskClient client)
    {
        GitHubDelivery delivery;
        try
        {
            delivery = await GitHubWebhookRequest.ReadAsync(request, options, request.HttpContext.RequestAborted);
        }
        catch (HttpProblem problem)
        {
            // A refused delivery may be unsigned: the id it claims is bounded and escaped before it is logged.
            GitHubWebhookLog.Refused(logger, UntrustedText.ForLog(request.Headers[GitHubWebhookRequest.DeliveryHeader].ToString()),
                problem.Status, problem.Detail);
            return problem.ToResult();
        }

        if (delivery.Route == GitHubRouteKind.Ignored)
        {
            GitHubWebhookLog.Ignored(logger, delivery.DeliveryId, delivery.Event, delivery.Action);
            return Accepted(request, delivery, "ignored");
        }
        // Not tied to RequestAborted: once the record reaches the store it should finish even if GitHub hung up.
        if (!await RecordAsync(client, delivery, CancellationToken.None))
        {
            GitHubWebhookLog.Duplicate(logger, delivery.DeliveryId, RouteGitHubDeliveriesOrchestration.InstanceId);
            return Accepted(request, delivery, "duplicate");
        }
        GitHubWebhookLog.Recorded(logger, delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, delivery.Repository, delivery.IssueNumber);
        return Accepted(request, delivery, "recorded");
    }

    /// <summary>Intake without a secret would accept anyone's deliveries, so it refuses them all instead.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "GitHub webhook intake is disabled",
        "No webhook secret is configured (GitHub__WebhookSecret), so deliveries cannot be verified.").ToResult();

    /// <summary>Raises the delivery on the router; false when its delivery id was recorded before. A router that does
    /// not exist (first start, not yet ensured) or has ended is started first, so no 202 goes out unrecorded.</summary>
    static async Task<bool> RecordAsync(DurableTaskClient client, GitHubDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            return await RaiseAsync(client, delivery, cancellationToken);
        }
        catch (Exception e) when (e is InstanceNotFoundException or InstanceTerminalException)
        {
            await EnsureRouterAsync(client, cancellationToken);
            return await RaiseAsync(client, delivery, cancellationToken);
        }
    }

    static Task<bool> RaiseAsync(DurableTaskClient client, GitHubDelivery delivery, CancellationToken cancellationToken) =>
        client.RaiseEventAsync(RouteGitHubDeliveriesOrchestration.InstanceId, RouteGitHubDeliveriesOrchestration.DeliveryEvent, delivery,
            idempotencyKey: delivery.DeliveryId, cancellationToken);

    /// <summary>Starts the router unless it is live (Pending, Running, Suspended). Several replicas may call this at
    /// once: one start wins, the others see it exists. An ended router is replaced by a fresh one.</summary>
    public static async Task EnsureRouterAsync(DurableTaskClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RouteGitHubDeliveriesOrchestration), GitHubRouterState.First,
                new StartOrchestrationOptions { InstanceId = RouteGitHubDeliveriesOrchestration.InstanceId }, cancellationToken);
        }
        catch (OrchestrationAlreadyExistsException)
        {
        }
    }

    static IResult Accepted(HttpRequest request, GitHubDelivery delivery, string outcome)
    {
        var instanceId = delivery.Route == GitHubRouteKind.Ignored ? null : RouteGitHubDeliveriesOrchestration.InstanceId;
        var statusUri = instanceId is null ? null : ManagementPayload.InstanceUri(request, DurableManagementApi.DefaultBasePath, instanceId);
        var receipt = new GitHubWebhookReceipt(delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, outcome, instanceId, statusUri);
        return TypedResults.Json(receipt, Baton.Durable.Serialization.DurableJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
