using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Activities.Jira;
using Baton.Durable.Http;
using Baton.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Baton.Webhooks.Jira;

/// <summary>
/// Reads and verifies one Jira delivery: size (413), content type (415), then proof of origin over the raw bytes (401:
/// an admin webhook's <c>X-Hub-Signature</c>, or an automation rule's shared secret header) — before anything is
/// parsed — then the JSON (400) and its route. Every refusal is an <see cref="HttpProblem"/>; nothing here records anything.
/// </summary>
public static partial class JiraWebhookRequest
{
    /// <summary>Jira's delivery id, unchanged across its retries.</summary>
    public const string IdentifierHeader = "X-Atlassian-Webhook-Identifier";

    /// <summary>An automation rule's own id, which a rule sends in this header (<c>{{rule.id}}</c>); a delivery from a rule
    /// is keyed by it with the issue and the status it entered.</summary>
    public const string RuleIdHeader = "X-Automation-Rule-Id";

    const int MaxIdLength = 200;
    const int MaxEventLength = 100;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <exception cref="HttpProblem">The delivery is refused.</exception>
    public static async Task<JiraDelivery> ReadAsync(HttpRequest request, JiraOptions options, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxPayloadBytes) throw TooLarge(options.MaxPayloadBytes);
        if (!IsJson(request.ContentType))
            throw HttpProblem.UnsupportedMediaType("Jira webhooks must be sent with 'Content-Type: application/json'.");
        RequestBodyLimit.Allow(request, options.MaxPayloadBytes);
        using var buffer = new MemoryStream();
        if (!await RequestBodyLimit.ReadAsync(request, buffer, options.MaxPayloadBytes, cancellationToken)) throw TooLarge(options.MaxPayloadBytes);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        var secrets = options.ConfiguredSecrets;
        var signed = JiraSignature.IsSigned(body, request.Headers[JiraSignature.HeaderName], secrets);
        if (!signed && !JiraSignature.HasSharedSecret(request.Headers[options.SecretHeader], secrets)) throw Unauthorized(options);

        JiraWebhookPayload payload;
        try
        {
            payload = JsonSerializer.Deserialize<JiraWebhookPayload>(body, Json) ?? throw new JsonException("The payload is null.");
        }
        catch (JsonException e)
        {
            throw HttpProblem.BadRequest($"The payload is not a Jira webhook event: {JsonErrors.Describe(e)}");
        }
        return Describe(request, payload, options);
    }

    static JiraDelivery Describe(HttpRequest request, JiraWebhookPayload payload, JiraOptions options)
    {
        var issueKey = payload.Issue?.Key;
        if (issueKey is not null && !IssueKey().IsMatch(issueKey))
            throw HttpProblem.BadRequest("issue.key must be a Jira issue key such as PROJ-12.");
        var projectKey = payload.Issue?.Fields?.Project?.Key ?? issueKey?[..issueKey.LastIndexOf('-')];
        // An admin webhook (it names its event) says what changed: only a status change in its changelog counts, so a comment
        // on a ready issue starts nothing. An automation rule's payload has no event and no changelog, only the status the
        // issue is in now, which its trigger ("transitioned to …") just moved it to.
        var statusChange = payload.Changelog?.Items?.LastOrDefault(i => string.Equals(i.Field, "status", StringComparison.OrdinalIgnoreCase));
        var entered = payload.WebhookEvent is null && payload.Changelog is null ? payload.Issue?.Fields?.Status?.Name : statusChange?.ToText;
        var deliveryId = DeliveryId(request, issueKey, entered);
        var (route, reason) = JiraRoutes.Route(issueKey, projectKey, entered, options);
        if (payload.Comment is { } comment && issueKey is not null
            && JiraRoutes.PlanAnswer(payload.WebhookEvent, projectKey, Adf.ToText(comment.Body), comment.Author?.DisplayName,
                   comment.Author?.AccountId, options) is { } answer)
            return new JiraDelivery(deliveryId, payload.WebhookEvent!, issueKey, projectKey, null, JiraRouteKind.PlanAnswer, $"answers the plan: {answer.Action}")
                { Answer = answer };
        // Kept in the routing instance's history: the event name is bounded, the status only matters when it is the ready one.
        var eventName = payload.WebhookEvent is { Length: > MaxEventLength } tooLong ? tooLong[..MaxEventLength] : payload.WebhookEvent ?? "automation";
        return new JiraDelivery(deliveryId, eventName, issueKey, projectKey, route == JiraRouteKind.FeatureReady ? entered : null, route, reason);
    }

    static string DeliveryId(HttpRequest request, string? issueKey, string? entered)
    {
        var id = request.Headers[IdentifierHeader].ToString();
        if (id.Length == 0)
        {
            var rule = request.Headers[RuleIdHeader].ToString();
            if (rule.Length == 0)
                throw HttpProblem.BadRequest($"A delivery needs {IdentifierHeader} (admin webhooks) or {RuleIdHeader} (automation rules).");
            id = $"rule:{rule}:{issueKey}:{entered}";
        }
        if (id.Length > MaxIdLength || id.Any(char.IsControl))
            throw HttpProblem.BadRequest($"The delivery id must be at most {MaxIdLength} printable characters.");
        return id;
    }

    public static HttpProblem Unauthorized(JiraOptions options) => new(StatusCodes.Status401Unauthorized, "Unauthorized",
        $"Neither {JiraSignature.HeaderName} nor {options.SecretHeader} proves the delivery under any configured webhook secret.");

    static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    static HttpProblem TooLarge(long maxBytes) => HttpProblem.TooLarge($"The payload must be at most {maxBytes} bytes.");

    [GeneratedRegex("^[A-Z][A-Z0-9_]{0,49}-[1-9][0-9]{0,9}$")]
    private static partial Regex IssueKey();
}
