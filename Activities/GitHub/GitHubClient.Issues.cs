namespace Baton.Activities.GitHub;

public sealed partial class GitHubClient
{
    /// <summary>Issues (and pull requests, see <see cref="GitHubIssue.IsPullRequest"/>) with all the given labels, every page.</summary>
    public Task<IReadOnlyList<GitHubIssue>> ListIssuesAsync(
        string owner, string repo, IEnumerable<string>? labels = null, GitHubIssueState state = GitHubIssueState.Open,
        CancellationToken cancellationToken = default)
    {
        var query = $"state={state.ToString().ToLowerInvariant()}";
        var labelList = labels?.ToArray() ?? [];
        if (labelList.Length > 0) query += "&labels=" + Escape(string.Join(',', labelList));
        return GetAllPagesAsync<GitHubIssue>($"{RepoPath(owner, repo)}/issues?{query}", Repository(owner, repo), cancellationToken);
    }

    public Task<GitHubIssue> GetIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAsync<GitHubIssue>($"{RepoPath(owner, repo)}/issues/{number}", Repository(owner, repo), cancellationToken);

    public Task<IReadOnlyList<GitHubLabel>> ListLabelsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubLabel>($"{RepoPath(owner, repo)}/issues/{number}/labels", Repository(owner, repo), cancellationToken);

    /// <summary>Adds labels (GitHub keeps the ones already there) and returns the issue's labels afterwards.</summary>
    public Task<IReadOnlyList<GitHubLabel>> AddLabelsAsync(
        string owner, string repo, int number, IEnumerable<string> labels, CancellationToken cancellationToken = default) =>
        SendAsync<IReadOnlyList<GitHubLabel>>(HttpMethod.Post, $"{RepoPath(owner, repo)}/issues/{number}/labels",
            Repository(owner, repo), new { labels = labels.ToArray() }, cancellationToken);

    /// <summary>
    /// Check-then-act: adds the label only when the issue does not have it. Returns whether it was added.
    /// The check is a conditional read, so repeating it (an activity retried) costs no rate limit.
    /// </summary>
    public async Task<bool> EnsureLabelAsync(string owner, string repo, int number, string label, CancellationToken cancellationToken = default)
    {
        var current = await ListLabelsAsync(owner, repo, number, cancellationToken);
        if (current.Any(l => string.Equals(l.Name, label, StringComparison.OrdinalIgnoreCase))) return false;
        await AddLabelsAsync(owner, repo, number, [label], cancellationToken);
        GitHubLog.LabelAdded(logger, label, Repository(owner, repo), number);
        return true;
    }

    /// <summary>Removes a label; returns false when the issue did not have it (GitHub's 404 "Label does not exist"),
    /// which is an answer, not a failure, so removing twice is harmless and logs no error.</summary>
    public async Task<bool> RemoveLabelAsync(string owner, string repo, int number, string label, CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(new Call(HttpMethod.Delete, $"{RepoPath(owner, repo)}/issues/{number}/labels/{Escape(label)}",
            Repository(owner, repo), Expected: [404]), cancellationToken);
        return answer.Status != 404;
    }

    /// <summary>Adds assignees; already-assigned users are kept, so repeating it is harmless.</summary>
    public Task<GitHubIssue> AddAssigneesAsync(
        string owner, string repo, int number, IEnumerable<string> logins, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubIssue>(HttpMethod.Post, $"{RepoPath(owner, repo)}/issues/{number}/assignees",
            Repository(owner, repo), new { assignees = logins.ToArray() }, cancellationToken);

    public Task<GitHubComment> CreateCommentAsync(string owner, string repo, int number, string body, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubComment>(HttpMethod.Post, $"{RepoPath(owner, repo)}/issues/{number}/comments",
            Repository(owner, repo), new { body }, cancellationToken);

    public Task<IReadOnlyList<GitHubComment>> ListCommentsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubComment>($"{RepoPath(owner, repo)}/issues/{number}/comments", Repository(owner, repo), cancellationToken);

    /// <summary>The hidden marker that identifies Baton's comment for <paramref name="key"/>.</summary>
    public static string CommentMarker(string key) => $"<!-- baton:{key} -->";

    /// <summary>
    /// Posts <paramref name="body"/> with a hidden marker for <paramref name="key"/>, unless a comment with that marker
    /// exists already (an earlier attempt of the same activity got through): then that comment is returned.
    /// </summary>
    public async Task<MarkedComment> CreateCommentOnceAsync(
        string owner, string repo, int number, string key, string body, CancellationToken cancellationToken = default)
    {
        var marker = CommentMarker(key);
        var comments = await ListCommentsAsync(owner, repo, number, cancellationToken);
        var existing = comments.FirstOrDefault(c => c.Body?.Contains(marker, StringComparison.Ordinal) == true);
        if (existing is not null) return new MarkedComment(existing, Created: false);

        var created = await CreateCommentAsync(owner, repo, number, $"{body}\n\n{marker}", cancellationToken);
        GitHubLog.Commented(logger, Repository(owner, repo), number, key);
        return new MarkedComment(created, Created: true);
    }

    /// <summary>The issue's event log (labeled, unlabeled, assigned, closed, …), every page, oldest first.</summary>
    public Task<IReadOnlyList<GitHubIssueEvent>> ListIssueEventsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubIssueEvent>($"{RepoPath(owner, repo)}/issues/{number}/events", Repository(owner, repo), cancellationToken);

    /// <summary>When <paramref name="label"/> was last added to the issue, or null if the log has no such event.</summary>
    public async Task<DateTimeOffset?> FindLabelAddedAtAsync(string owner, string repo, int number, string label, CancellationToken cancellationToken = default)
    {
        var events = await ListIssueEventsAsync(owner, repo, number, cancellationToken);
        return events
            .Where(e => e.Event == "labeled" && string.Equals(e.Label?.Name, label, StringComparison.OrdinalIgnoreCase))
            .Select(e => (DateTimeOffset?)e.CreatedAt)
            .Max();
    }

    /// <summary>The issues blocking this one (GitHub's native relationships; they can live in other repositories).</summary>
    public Task<IReadOnlyList<GitHubIssue>> ListBlockedByAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubIssue>($"{RepoPath(owner, repo)}/issues/{number}/dependencies/blocked_by", Repository(owner, repo), cancellationToken);

    public Task<GitHubMilestone> GetMilestoneAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAsync<GitHubMilestone>($"{RepoPath(owner, repo)}/milestones/{number}", Repository(owner, repo), cancellationToken);

    /// <summary>Changes a milestone (for example <c>State = "closed"</c>); setting the same values again is harmless.</summary>
    public Task<GitHubMilestone> UpdateMilestoneAsync(
        string owner, string repo, int number, MilestoneUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        return SendAsync<GitHubMilestone>(HttpMethod.Patch, $"{RepoPath(owner, repo)}/milestones/{number}",
            Repository(owner, repo), update, cancellationToken);
    }
}
