using System.Text.Json.Nodes;

namespace Baton.Activities.Jira;

public sealed partial class JiraClient
{
    /// <summary>The fields Baton reads of an issue.</summary>
    const string IssueFields = "summary,description,status,project,labels";

    const int CommentPageSize = 100;

    /// <summary>Safety bound on pages followed, so a server that never says "last" cannot loop forever.</summary>
    const int MaxPages = 100;

    public Task<JiraIssue> GetIssueAsync(string issueKey, CancellationToken cancellationToken) =>
        GetAsync<JiraIssue>($"rest/api/3/issue/{Escape(issueKey)}?fields={IssueFields}", cancellationToken);

    /// <summary>Creates an issue; <paramref name="description"/> is an ADF document.</summary>
    public Task<JiraCreatedIssue> CreateIssueAsync(
        string projectKey, string issueType, string summary, JsonObject description, IReadOnlyList<string> labels, CancellationToken cancellationToken) =>
        SendAsync<JiraCreatedIssue>(HttpMethod.Post, "rest/api/3/issue", new JsonObject
        {
            ["fields"] = new JsonObject
            {
                ["project"] = new JsonObject { ["key"] = projectKey },
                ["issuetype"] = new JsonObject { ["name"] = issueType },
                ["summary"] = summary,
                ["description"] = description,
                ["labels"] = new JsonArray([.. labels.Select(l => (JsonNode)l)]),
            },
        }, cancellationToken);

    /// <summary>Sets fields of an issue (<c>{"summary": …}</c>, ADF for rich-text fields).</summary>
    public Task EditIssueAsync(string issueKey, JsonObject fields, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, $"rest/api/3/issue/{Escape(issueKey)}", new JsonObject { ["fields"] = fields }, cancellationToken);

    /// <summary>Adds a comment whose body is an ADF document.</summary>
    public Task<JiraComment> AddCommentAsync(string issueKey, JsonObject body, CancellationToken cancellationToken) =>
        SendAsync<JiraComment>(HttpMethod.Post, $"rest/api/3/issue/{Escape(issueKey)}/comment", new JsonObject { ["body"] = body }, cancellationToken);

    /// <summary>Every comment on an issue, oldest first.</summary>
    public async Task<IReadOnlyList<JiraComment>> GetCommentsAsync(string issueKey, CancellationToken cancellationToken)
    {
        var all = new List<JiraComment>();
        for (var page = 0; page < MaxPages; page++)
        {
            var answer = await GetAsync<JiraCommentPage>(
                $"rest/api/3/issue/{Escape(issueKey)}/comment?startAt={all.Count}&maxResults={CommentPageSize}", cancellationToken);
            all.AddRange(answer.Comments);
            if (answer.Comments.Count == 0 || all.Count >= answer.Total) break;
        }
        return all;
    }

    /// <summary>Adds the comment unless one containing <paramref name="marker"/> is already there. True when it was added.</summary>
    public async Task<bool> EnsureCommentAsync(string issueKey, string marker, JsonObject body, CancellationToken cancellationToken)
    {
        var comments = await GetCommentsAsync(issueKey, cancellationToken);
        if (comments.Any(c => c.Text.Contains(marker, StringComparison.Ordinal))) return false;
        await AddCommentAsync(issueKey, body, cancellationToken);
        JiraLog.Commented(logger, issueKey, marker);
        return true;
    }

    /// <summary>The transitions the account may make on the issue now (workflows differ: look them up by name).</summary>
    public async Task<IReadOnlyList<JiraTransition>> GetTransitionsAsync(string issueKey, CancellationToken cancellationToken) =>
        (await GetAsync<JiraTransitions>($"rest/api/3/issue/{Escape(issueKey)}/transitions", cancellationToken)).Transitions;

    public Task TransitionAsync(string issueKey, string transitionId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"rest/api/3/issue/{Escape(issueKey)}/transitions",
            new JsonObject { ["transition"] = new JsonObject { ["id"] = transitionId } }, cancellationToken);

    /// <summary>Links the issue to <paramref name="url"/>. Jira updates the link with the same <paramref name="globalId"/>
    /// instead of adding another, so this is safe to repeat.</summary>
    public Task<JiraRemoteLink> AddRemoteLinkAsync(string issueKey, string globalId, string url, string title, CancellationToken cancellationToken) =>
        SendAsync<JiraRemoteLink>(HttpMethod.Post, $"rest/api/3/issue/{Escape(issueKey)}/remotelink", new JsonObject
        {
            ["globalId"] = globalId,
            ["object"] = new JsonObject { ["url"] = url, ["title"] = title },
        }, cancellationToken);

    public Task<IReadOnlyList<JiraRemoteLink>> GetRemoteLinksAsync(string issueKey, CancellationToken cancellationToken) =>
        GetAsync<IReadOnlyList<JiraRemoteLink>>($"rest/api/3/issue/{Escape(issueKey)}/remotelink", cancellationToken);

    /// <summary>Every issue matching <paramref name="jql"/>, following <c>nextPageToken</c> (the enhanced search).</summary>
    public async Task<IReadOnlyList<JiraIssue>> SearchAsync(string jql, CancellationToken cancellationToken, int pageSize = 50)
    {
        var all = new List<JiraIssue>();
        string? token = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var path = $"rest/api/3/search/jql?jql={Escape(jql)}&fields={IssueFields}&maxResults={pageSize}"
                       + (token is null ? "" : $"&nextPageToken={Escape(token)}");
            var answer = await GetAsync<JiraSearchPage>(path, cancellationToken);
            all.AddRange(answer.Issues);
            token = answer.NextPageToken;
            if (answer.IsLast == true || string.IsNullOrEmpty(token)) break;
        }
        return all;
    }
}
