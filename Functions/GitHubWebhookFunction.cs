using Baton.Durable;
using Baton.Durable.Http;
using Baton.Orchestrations;
using Baton.Webhooks.GitHub;

namespace Baton.Functions;

/// <summary>What the caller is told about an accepted delivery.</summary>
/// <param name="Outcome"><c>recorded</c>, <c>duplicate</c> (a redelivery, nothing new) or <c>ignored</c> (no route).</param>
public sealed record GitHubWebhookReceipt(
    string DeliveryId, string Event, string? Action, GitHubRouteKind Route, string Outcome, string? InstanceId, string? StatusQueryGetUri);

/// <summary>
/// <c>POST /api/github/webhook</c>: verify, parse, record the delivery as an orchestration keyed by its delivery id,
/// answer 202. A redelivery hits the existing instance and is answered 202 again without a second start.
/// </summary>
public sealed class GitHubWebhookFunction(GitHubWebhookOptions options, ILogger logger)
{
    public const string Route = "/api/github/webhook";

    /// <summary>Any existing instance, finished or not, means the delivery was already recorded.</summary>
    static readonly StartOrchestrationOptions RecordOnce = new() { DedupeStatuses = Enum.GetValues<OrchestrationRuntimeStatus>() };

    public async Task<IResult> ReceiveAsync(HttpRequest request, DurableTaskClient client)
    {
        GitHubDelivery delivery;
        try
        {
            delivery = await GitHubWebhookRequest.ReadAsync(request, options, request.HttpContext.RequestAborted);
        }
        catch (HttpProblem problem)
        {
            GitHubWebhookLog.Refused(logger, request.Headers[GitHubWebhookRequest.DeliveryHeader].ToString(), problem.Status, problem.Detail);
            return problem.ToResult();
        }

        if (delivery.Route == GitHubRouteKind.Ignored)
        {
            GitHubWebhookLog.Ignored(logger, delivery.DeliveryId, delivery.Event, delivery.Action);
            return Accepted(request, delivery, "ignored");
        }
        try
        {
            // Not tied to RequestAborted: once the start reaches the store it should finish even if GitHub hung up.
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RouteGitHubDeliveryOrchestration), delivery,
                RecordOnce with { InstanceId = delivery.InstanceId }, CancellationToken.None);
            GitHubWebhookLog.Recorded(logger, delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, delivery.Repository, delivery.IssueNumber);
            return Accepted(request, delivery, "recorded");
        }
        catch (OrchestrationAlreadyExistsException)
        {
            GitHubWebhookLog.Duplicate(logger, delivery.DeliveryId, delivery.InstanceId);
            return Accepted(request, delivery, "duplicate");
        }
    }

    /// <summary>Intake without a secret would accept anyone's deliveries, so it refuses them all instead.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "GitHub webhook intake is disabled",
        "No webhook secret is configured (GitHub__WebhookSecret), so deliveries cannot be verified.").ToResult();

    static IResult Accepted(HttpRequest request, GitHubDelivery delivery, string outcome)
    {
        var instanceId = delivery.Route == GitHubRouteKind.Ignored ? null : delivery.InstanceId;
        var statusUri = instanceId is null ? null : ManagementPayload.InstanceUri(request, DurableManagementApi.DefaultBasePath, instanceId);
        var receipt = new GitHubWebhookReceipt(delivery.DeliveryId, delivery.Event, delivery.Action, delivery.Route, outcome, instanceId, statusUri);
        return TypedResults.Json(receipt, Baton.Durable.Serialization.DurableJson.Options, statusCode: StatusCodes.Status202Accepted);
    }
}
