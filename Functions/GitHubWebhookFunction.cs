using Baton.Durable.Http;
using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Webhooks.GitHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Functions;

/// <summary>What the caller is told about an accepted delivery.</summary>
/// <param name="Outcome"><c>recorded</c>, <c>duplicate</c> (a redelivery, nothing new) or <c>ignored</c> (no route).</param>
/// <param name="InstanceId">The instance that routes the delivery (<c>github-delivery:{delivery id}</c>); null when ignored.</param>
public sealed record GitHubWebhookReceipt(
    string DeliveryId, string Event, string? Action, GitHubRouteKind Route, string Outcome, string? InstanceId, string? StatusQueryGetUri);

/// <summary>
/// <c>POST /api/github/webhook</c>: verify, parse, start the delivery's own routing orchestration under an instance id
/// made from its delivery id (one write), answer 202. A redelivery finds that instance and is answered 202 again
/// without a second start.
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
            GitHubWebhookLog.Duplicate(logger, delivery.DeliveryId, RouteGitHubDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId));
            return Accepted(request, delivery, "duplicate");
        }
        GitHubWebhookLog.Recorded(logger, delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, delivery.Repository, delivery.IssueNumber);
        return Accepted(request, delivery, "recorded");
    }

    /// <summary>Intake without a secret would accept anyone's deliveries, so it refuses them all instead.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "GitHub webhook intake is disabled",
        "No webhook secret is configured (GitHub__WebhookSecret), so deliveries cannot be verified.").ToResult();

    /// <summary>Starts the delivery's routing orchestration; false when its delivery id was started before.</summary>
    static Task<bool> RecordAsync(DurableTaskClient client, GitHubDelivery delivery, CancellationToken cancellationToken) =>
        client.StartOnceAsync(nameof(RouteGitHubDeliveryOrchestration), delivery, RouteGitHubDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId),
            cancellationToken);

    static IResult Accepted(HttpRequest request, GitHubDelivery delivery, string outcome)
    {
        var instanceId = delivery.Route == GitHubRouteKind.Ignored ? null : RouteGitHubDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId);
        var statusUri = instanceId is null ? null : ManagementPayload.InstanceUri(request, DurableManagementApi.DefaultBasePath, instanceId);
        var receipt = new GitHubWebhookReceipt(delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, outcome, instanceId, statusUri);
        return TypedResults.Json(receipt, Baton.Durable.Serialization.DurableJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
