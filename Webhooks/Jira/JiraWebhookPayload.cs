using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Webhooks.Jira;

/// <summary>
/// A Jira webhook body as admin webhooks and automation rules send it: the REST <b>v2</b> shape (self links under
/// <c>/rest/api/2/</c>, the description a wiki-markup string). Only what routing needs is read; everything else is
/// re-read from the v3 API by the orchestration.
/// </summary>
public sealed record JiraWebhookPayload(
    string? WebhookEvent,
    long? Timestamp,
    JiraWebhookIssue? Issue,
    JiraWebhookChangelog? Changelog,
    JiraWebhookComment? Comment = null);

/// <summary>A comment (<c>comment_created</c>): its body is wiki markup (v2) or ADF.</summary>
public sealed record JiraWebhookComment(string? Id, JsonElement? Body, JiraWebhookUser? Author);

public sealed record JiraWebhookUser(string? AccountId, string? DisplayName);

public sealed record JiraWebhookIssue(string? Id, string? Key, JiraWebhookFields? Fields);

/// <param name="Description">A wiki-markup string (v2), or ADF when a rule sends v3 data.</param>
public sealed record JiraWebhookFields(
    string? Summary,
    JsonElement? Description,
    JiraWebhookNamed? Status,
    JiraWebhookProject? Project);

public sealed record JiraWebhookNamed(string? Id, string? Name);

public sealed record JiraWebhookProject(string? Id, string? Key);

public sealed record JiraWebhookChangelog(string? Id, IReadOnlyList<JiraWebhookChange>? Items);

/// <summary>One changed field; a status change has <c>field</c> "status" and the new status in <c>toString</c>.</summary>
public sealed record JiraWebhookChange(
    string? Field,
    string? From,
    [property: JsonPropertyName("fromString")] string? FromText,
    string? To,
    [property: JsonPropertyName("toString")] string? ToText);
