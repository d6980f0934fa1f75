using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Webhooks.Jira;

namespace Baton.Demo.JiraEmulator;

public sealed partial class JiraEmulator
{
    readonly JiraWebhookSender webhooks = new();
    int nextDelivery;

    /// <summary>Where admin webhooks go; none are sent while it is null.</summary>
    public Uri? WebhookUrl { get; set; }

    /// <summary>Signs <c>X-Hub-Signature</c>; unsigned deliveries while it is null.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Every webhook attempted so far, in order, with its outcome.</summary>
    public IReadOnlyList<EmulatedJiraDelivery> Deliveries => webhooks.Deliveries;

    /// <summary>Completes once every webhook caused so far has been attempted.</summary>
    public Task WebhooksDeliveredAsync() => webhooks.DeliveredAsync();

    /// <summary>The account id of the emulator's people unless a comment names another.</summary>
    public const string PersonAccountId = "5b10a2844c20165700ede21g";

    /// <summary>A person comments on the issue: the comment is stored (ADF) and a <c>comment_created</c> webhook is queued
    /// with the body as wiki markup, as REST v2 payloads carry it.</summary>
    public void Comment(string key, string text, string by = "A person", string accountId = PersonAccountId)
    {
        JsonObject payload;
        string id;
        lock (gate)
        {
            var issue = issues.GetValueOrDefault(key) ?? throw new ArgumentException($"No issue {key}.", nameof(key));
            var commentId = (nextId++).ToString(CultureInfo.InvariantCulture);
            issue.Comments.Add((commentId, Baton.Activities.Jira.Adf.FromText(text)));
            id = $"emulated-{Interlocked.Increment(ref nextDelivery).ToString(CultureInfo.InvariantCulture)}";
            payload = new JsonObject
            {
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["webhookEvent"] = "comment_created",
                ["comment"] = new JsonObject
                {
                    ["id"] = commentId,
                    ["self"] = $"{BaseUrl}rest/api/2/issue/{issue.Id}/comment/{commentId}",
                    ["author"] = new JsonObject { ["accountId"] = accountId, ["displayName"] = by },
                    ["body"] = text,
                },
                ["issue"] = IssueJson(issue, withDescription: false),
            };
        }
        if (WebhookUrl is { } url) webhooks.Enqueue(url, WebhookSecret, id, key, "", "", payload.ToJsonString());
    }

    /// <summary>Moves the issue and queues a <c>jira:issue_updated</c> webhook with its status changelog, in REST v2 shape
    /// (description as wiki markup, <c>/rest/api/2/</c> self links), as Jira Cloud sends admin webhooks.</summary>
    void Move(EmulatedJiraIssue issue, string status)
    {
        string from;
        JsonObject payload;
        string id;
        lock (gate)
        {
            from = issue.Status;
            issue.Status = status;
            id = $"emulated-{Interlocked.Increment(ref nextDelivery).ToString(CultureInfo.InvariantCulture)}";
            payload = new JsonObject
            {
                ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
                ["webhookEvent"] = "jira:issue_updated",
                ["issue_event_type_name"] = "issue_generic",
                ["user"] = new JsonObject { ["accountId"] = "5b10a2844c20165700ede21g", ["displayName"] = "A person" },
                ["issue"] = IssueJson(issue, withDescription: true),
                ["changelog"] = new JsonObject
                {
                    ["id"] = id,
                    ["items"] = new JsonArray(new JsonObject
                    {
                        ["field"] = "status", ["fieldtype"] = "jira", ["fieldId"] = "status",
                        ["from"] = StatusId(from), ["fromString"] = from, ["to"] = StatusId(status), ["toString"] = status,
                    }),
                },
            };
        }
        if (WebhookUrl is { } url) webhooks.Enqueue(url, WebhookSecret, id, issue.Key, from, status, payload.ToJsonString());
    }

    /// <summary>The issue as a REST v2 webhook carries it (its current status; the description as wiki markup when asked).</summary>
    JsonObject IssueJson(EmulatedJiraIssue issue, bool withDescription)
    {
        var fields = new JsonObject { ["summary"] = issue.Summary };
        if (withDescription)
            fields["description"] = Baton.Activities.Jira.Adf.ToText(System.Text.Json.JsonSerializer.SerializeToElement(issue.Description));
        fields["status"] = new JsonObject { ["id"] = StatusId(issue.Status), ["name"] = issue.Status };
        fields["project"] = new JsonObject { ["id"] = "10000", ["key"] = issue.ProjectKey };
        return new JsonObject { ["id"] = issue.Id, ["key"] = issue.Key, ["self"] = $"{BaseUrl}rest/api/2/issue/{issue.Id}", ["fields"] = fields };
    }
}

/// <summary>Sends webhooks one at a time, in order, signed as Jira's admin webhooks are; each is tried once and recorded.</summary>
sealed class JiraWebhookSender : IAsyncDisposable
{
    public const string IdentifierHeader = "X-Atlassian-Webhook-Identifier";

    readonly OrderedWork queue = new();
    readonly List<EmulatedJiraDelivery> deliveries = [];
    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public IReadOnlyList<EmulatedJiraDelivery> Deliveries
    {
        get { lock (deliveries) return [.. deliveries]; }
    }

    public void Enqueue(Uri url, string? secret, string id, string issueKey, string from, string to, string body) =>
        queue.Enqueue(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add(IdentifierHeader, id);
            request.Headers.Add("X-Atlassian-Webhook-Flow", "Primary");
            if (secret is not null) request.Headers.Add(JiraSignature.HeaderName, JiraSignature.Sign(Encoding.UTF8.GetBytes(body), secret));
            int? status = null;
            try
            {
                using var response = await http.SendAsync(request);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            lock (deliveries) deliveries.Add(new EmulatedJiraDelivery(id, issueKey, from, to, body, status));
        });

    public Task DeliveredAsync() => queue.DrainedAsync();

    public async ValueTask DisposeAsync()
    {
        await queue.DisposeAsync();
        http.Dispose();
    }
}
