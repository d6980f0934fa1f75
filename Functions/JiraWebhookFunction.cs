using Baton.Activities.Jira;
using Baton.Durable.Http;
using Baton.Functions.People;
using Baton.Orchestrations;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Baton.Webhooks.Jira;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

using Baton.Hosting;

namespace Baton.Functions;

/// <summary>What Jira is told about an accepted delivery.</summary>
/// <param name="Outcome"><c>recorded</c>, <c>duplicate</c> (a redelivery, nothing new) or <c>ignored</c>.</param>
/// <param name="InstanceId">The feature's instance (<c>feature:{KEY}</c>), or the plan approval's for an answer; null when ignored.</param>
public sealed record JiraWebhookReceipt(string DeliveryId, string Event, string? IssueKey, JiraRouteKind Route, string Outcome, string Reason, string? InstanceId);

/// <summary>
/// <c>POST /api/jira/webhook</c>: verify, parse, and for an issue entering its ready status start the delivery's routing
/// orchestration under an instance id made from the delivery id (a redelivery starts nothing), which starts the feature's
/// own orchestration once; a comment <c>/baton approve</c> or <c>/baton reject …</c> answers the feature's plan approval;
/// answer 202. Everything else is acknowledged with a log line.
/// </summary>
public sealed class JiraWebhookFunction(JiraOptions options, EscalationDesk desk, TimeProvider clock, ILogger logger)
{
    public const string Route = "/api/jira/webhook";


    public async Task<IResult> ReceiveAsync(HttpRequest request, DurableTaskClient client)
    {
        JiraDelivery delivery;
        try
        {
            delivery = await JiraWebhookRequest.ReadAsync(request, options, request.HttpContext.RequestAborted);
        }
        catch (HttpProblem problem)
        {
            JiraWebhookLog.Refused(logger, UntrustedText.ForLog(request.Headers[JiraWebhookRequest.IdentifierHeader].ToString()), problem.Status, problem.Detail);
            return problem.ToResult();
        }

        if (delivery.Route == JiraRouteKind.Ignored)
        {
            // The event name and the status named in the reason come from the payload: bounded and escaped for the log.
            JiraWebhookLog.Ignored(logger, UntrustedText.ForLog(delivery.DeliveryId), UntrustedText.ForLog(delivery.Event), delivery.IssueKey,
                UntrustedText.ForLog(delivery.Reason));
            return Accepted(delivery, "ignored", null);
        }
        if (delivery is { Route: JiraRouteKind.PlanAnswer, Answer: { } answer }) return await AnswerPlanAsync(delivery, answer);
        var instanceId = FeatureOrchestration.InstanceIdFor(delivery.IssueKey!);
        // Not tied to RequestAborted: once the record reaches the store it should finish even if Jira hung up.
        if (!await client.StartOnceAsync(nameof(RouteJiraDeliveryOrchestration), delivery,
                RouteJiraDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId), CancellationToken.None))
        {
            JiraWebhookLog.Duplicate(logger, delivery.DeliveryId, RouteJiraDeliveryOrchestration.InstanceIdFor(delivery.DeliveryId));
            return Accepted(delivery, "duplicate", instanceId);
        }
        JiraWebhookLog.Recorded(logger, delivery.DeliveryId, delivery.IssueKey, delivery.Reason, instanceId);
        return Accepted(delivery, "recorded", instanceId);
    }

    /// <summary>Hands a comment's answer to the feature's open plan approval (first valid answer wins, EscalationDesk);
    /// without one waiting, it is acknowledged and ignored.</summary>
    async Task<IResult> AnswerPlanAsync(JiraDelivery delivery, JiraPlanAnswer answer)
    {
        var open = await desk.ListOpenAsync(CancellationToken.None);
        var (key, _) = open.FirstOrDefault(e => e.Status.Request.Kind == FeatureRules.ApprovalKind && e.Status.Request.Subject == delivery.IssueKey);
        if (key is null)
        {
            JiraWebhookLog.Ignored(logger, UntrustedText.ForLog(delivery.DeliveryId), delivery.Event, delivery.IssueKey, "no plan of it waits for approval");
            return Accepted(delivery with { Route = JiraRouteKind.Ignored, Reason = "no plan waits for approval" }, "ignored", null);
        }
        var result = await desk.AnswerAsync(key, new EscalationAnswer(answer.Action, answer.Text, answer.By, "jira", clock.GetUtcNow().UtcDateTime),
            TimeSpan.Zero, CancellationToken.None);
        JiraWebhookLog.PlanAnswered(logger, UntrustedText.ForLog(delivery.DeliveryId), delivery.IssueKey!, UntrustedText.ForLog(answer.By), answer.Action, result.Verdict.ToString());
        return Accepted(delivery, result.Verdict == DeskVerdict.AlreadyResolved ? "duplicate" : "recorded", EscalationIds.InstanceIdFor(key));
    }

    /// <summary>Intake without a secret would accept anyone's deliveries, so it refuses them all instead.</summary>
    public static IResult Disabled() => new HttpProblem(StatusCodes.Status503ServiceUnavailable, "Jira webhook intake is disabled",
        "No webhook secret is configured (Jira__WebhookSecret), so deliveries cannot be verified.").ToResult();

    static IResult Accepted(JiraDelivery delivery, string outcome, string? instanceId) =>
        TypedResults.Json(new JiraWebhookReceipt(delivery.DeliveryId, delivery.Event, delivery.IssueKey, delivery.Route, outcome, delivery.Reason, instanceId),
            Baton.Durable.Serialization.DurableJson.Options, statusCode: StatusCodes.Status202Accepted);
}
