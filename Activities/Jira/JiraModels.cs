using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Activities.Jira;

/// <summary>An issue as REST v3 returns it (only the fields Baton reads).</summary>
public sealed record JiraIssue(string Id, string Key, JiraIssueFields Fields)
{
    /// <summary>The description as plain text (ADF in v3, wiki markup in v2 payloads).</summary>
    public string DescriptionText => Adf.ToText(Fields.Description);
}

/// <param name="Description">ADF (v3) or a wiki-markup string (v2); absent when empty.</param>
public sealed record JiraIssueFields(
    string? Summary,
    JsonElement? Description,
    JiraStatus? Status,
    JiraProjectRef? Project,
    IReadOnlyList<string>? Labels);

public sealed record JiraStatus(string? Id, string Name);

public sealed record JiraProjectRef(string? Id, string Key);

/// <summary>A workflow transition available on an issue, and the status it leads to.</summary>
public sealed record JiraTransition(string Id, string Name, JiraStatus? To);

public sealed record JiraTransitions(IReadOnlyList<JiraTransition> Transitions);

/// <summary>A comment; its body is ADF.</summary>
public sealed record JiraComment(string Id, JsonElement Body)
{
    public string Text => Adf.ToText(Body);
}

public sealed record JiraCommentPage(IReadOnlyList<JiraComment> Comments, int StartAt, int MaxResults, int Total);

/// <summary>What creating an issue answers.</summary>
public sealed record JiraCreatedIssue(string Id, string Key, string? Self);

/// <summary>A link from a Jira issue to something outside Jira (a GitHub milestone).</summary>
public sealed record JiraRemoteLink(long Id, string? GlobalId, JiraRemoteLinkObject Object);

public sealed record JiraRemoteLinkObject(string Url, string Title);

/// <summary>One page of <c>/rest/api/3/search/jql</c>; the next is asked for with <see cref="NextPageToken"/>.</summary>
public sealed record JiraSearchPage(IReadOnlyList<JiraIssue> Issues, string? NextPageToken, bool? IsLast);

/// <summary>A Jira error body (<c>errorMessages</c>, <c>errors</c>).</summary>
sealed record JiraErrorCollection(
    [property: JsonPropertyName("errorMessages")] IReadOnlyList<string>? ErrorMessages,
    [property: JsonPropertyName("errors")] Dictionary<string, string>? Errors);
