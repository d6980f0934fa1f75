using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Webhooks.Jira;

namespace Baton.Tests.Jira;

/// <summary>Jira webhook bodies and requests written by the tests (REST v2 shape, as Jira sends them).</summary>
public static class JiraWebhookPayloads
{
    /// <summary>An admin webhook's <c>jira:issue_updated</c> with a status changelog.</summary>
    public static string StatusChanged(string issueKey, string from, string to) => new JsonObject
    {
        ["timestamp"] = 1764763200000,
        ["webhookEvent"] = "jira:issue_updated",
        ["issue_event_type_name"] = "issue_generic",
        ["issue"] = Issue(issueKey, to),
        ["changelog"] = new JsonObject
        {
            ["id"] = "10227",
            ["items"] = new JsonArray(new JsonObject
            {
                ["field"] = "status", ["fieldtype"] = "jira", ["from"] = "1", ["fromString"] = from, ["to"] = "2", ["toString"] = to,
            }),
        },
    }.ToJsonString();

    /// <summary>An automation rule's "Send web request" with the issue data (no changelog).</summary>
    public static string Automation(string issueKey, string status) => new JsonObject { ["issue"] = Issue(issueKey, status) }.ToJsonString();

    static JsonObject Issue(string issueKey, string status) => new()
    {
        ["id"] = "10040",
        ["key"] = issueKey,
        ["self"] = "https://example.atlassian.net/rest/api/2/issue/10040",
        ["fields"] = new JsonObject
        {
            ["summary"] = "Gift cards",
            ["description"] = "h2. Goal\n* buy\n* redeem",
            ["status"] = new JsonObject { ["id"] = "2", ["name"] = status },
            ["project"] = new JsonObject { ["id"] = "10000", ["key"] = issueKey[..issueKey.IndexOf('-', StringComparison.Ordinal)] },
        },
    };

    /// <summary>A request as an admin webhook sends it, signed with <paramref name="secret"/> (unsigned when null).</summary>
    public static HttpRequestMessage Signed(string body, string? secret, string? deliveryId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jira/webhook") { Content = Json(body) };
        if (deliveryId is not null) request.Headers.Add(JiraWebhookRequest.IdentifierHeader, deliveryId);
        if (secret is not null) request.Headers.Add(JiraSignature.HeaderName, JiraSignature.Sign(Encoding.UTF8.GetBytes(body), secret));
        return request;
    }

    /// <summary>A request as an automation rule sends it: the shared secret in <paramref name="header"/>.</summary>
    public static HttpRequestMessage FromRule(string body, string header, string? secret, string ruleId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/jira/webhook") { Content = Json(body) };
        request.Headers.Add(JiraWebhookRequest.RuleIdHeader, ruleId);
        if (secret is not null) request.Headers.Add(header, secret);
        return request;
    }

    static StringContent Json(string body)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
