namespace Baton.Activities.GitHub;

/// <summary>The calls that turn an approved plan into GitHub state: milestones, issues, blocked-by relationships.</summary>
public sealed partial class GitHubClient
{
    /// <summary>Every milestone of the repository, open and closed.</summary>
    public Task<IReadOnlyList<GitHubMilestone>> ListMilestonesAsync(string owner, string repo, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubMilestone>($"{RepoPath(owner, repo)}/milestones?state=all", Repository(owner, repo), cancellationToken);

    public Task<GitHubMilestone> CreateMilestoneAsync(string owner, string repo, string title, string? description, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubMilestone>(HttpMethod.Post, $"{RepoPath(owner, repo)}/milestones", Repository(owner, repo),
            new NewMilestone(title, description), cancellationToken);

    /// <summary>Opens an issue with labels, in a milestone when <paramref name="milestone"/> is set.</summary>
    public Task<GitHubIssue> CreateIssueAsync(
        string owner, string repo, string title, string body, IReadOnlyList<string> labels, int? milestone, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubIssue>(HttpMethod.Post, $"{RepoPath(owner, repo)}/issues", Repository(owner, repo),
            new NewIssue(title, body, labels, milestone), cancellationToken);

    /// <summary>Records that issue <paramref name="number"/> is blocked by the issue whose database id is
    /// <paramref name="blockingIssueId"/> (GitHub's native relationship; the body takes the id, not the number).</summary>
    public Task AddBlockedByAsync(string owner, string repo, int number, long blockingIssueId, CancellationToken cancellationToken = default) =>
        SendAsync(new Call(HttpMethod.Post, $"{RepoPath(owner, repo)}/issues/{number}/dependencies/blocked_by", Repository(owner, repo),
            new BlockedBy(blockingIssueId)), cancellationToken);

    sealed record NewMilestone(string Title, string? Description);

    sealed record NewIssue(string Title, string Body, IReadOnlyList<string> Labels, int? Milestone);

    sealed record BlockedBy(long IssueId);
}
