namespace Baton.Activities.GitHub;

// The subset of GitHub's REST v3 resources Baton reads. JSON names are snake_case (see GitHubClient.Json).

public sealed record GitHubUser(long Id, string Login, string? Type = null);

public sealed record GitHubLabel(string Name, long Id = 0, string? Color = null);

public sealed record GitHubMilestone(
    long Id,
    int Number,
    string Title,
    string State,
    int OpenIssues,
    int ClosedIssues,
    string? Description = null,
    DateTimeOffset? DueOn = null,
    DateTimeOffset? ClosedAt = null);

/// <summary>Present on issues that are pull requests.</summary>
public sealed record GitHubPullRequestLink(string? Url, DateTimeOffset? MergedAt = null);

/// <summary>An issue. <see cref="Id"/> is the database id that the dependency API takes, not <see cref="Number"/>.</summary>
public sealed record GitHubIssue(
    long Id,
    int Number,
    string Title,
    string State,
    IReadOnlyList<GitHubLabel> Labels,
    IReadOnlyList<GitHubUser> Assignees,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string HtmlUrl,
    string RepositoryUrl,
    string? Body = null,
    GitHubMilestone? Milestone = null,
    DateTimeOffset? ClosedAt = null,
    GitHubPullRequestLink? PullRequest = null)
{
    public bool IsPullRequest => PullRequest is not null;

    public bool HasLabel(string name) => Labels.Any(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase));
}

public sealed record GitHubComment(long Id, string? Body, GitHubUser? User, DateTimeOffset CreatedAt, string HtmlUrl);

/// <summary>One entry of an issue's event log; <see cref="Label"/> is set for <c>labeled</c>/<c>unlabeled</c>.</summary>
public sealed record GitHubIssueEvent(long Id, string Event, DateTimeOffset CreatedAt, GitHubUser? Actor = null, GitHubLabel? Label = null);

public sealed record GitHubBranch(string Ref, string Sha, string? Label = null);

public sealed record GitHubPullRequest(
    long Id,
    int Number,
    string State,
    string Title,
    string HtmlUrl,
    GitHubBranch Head,
    GitHubBranch Base,
    bool Draft = false,
    bool? Merged = null,
    string? MergeCommitSha = null);

public sealed record GitHubPullRequestFile(string Filename, string Status, int Additions, int Deletions, int Changes, string? Patch = null);

public sealed record GitHubMergeResult(string Sha, bool Merged, string Message);

public sealed record GitHubCheckRun(
    long Id,
    string Name,
    string Status,
    string HeadSha,
    string? Conclusion = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? CompletedAt = null);

public sealed record GitHubGitObject(string Sha, string Type);

public sealed record GitHubGitRef(string Ref, GitHubGitObject Object);

/// <summary>Which issues to list.</summary>
public enum GitHubIssueState { Open, Closed, All }

/// <summary>A pull request to open: <paramref name="Head"/> is the branch with the changes, <paramref name="Base"/> the target.</summary>
public sealed record NewPullRequest(string Title, string Head, string Base, string? Body = null, bool Draft = false);

/// <summary>How to merge; <paramref name="Sha"/> makes GitHub refuse if the head moved since it was checked.</summary>
public sealed record PullRequestMerge(string MergeMethod = "squash", string? Sha = null, string? CommitTitle = null, string? CommitMessage = null);

/// <summary>Fields to change on a milestone; null fields are left as they are.</summary>
public sealed record MilestoneUpdate(string? Title = null, string? State = null, string? Description = null, DateTimeOffset? DueOn = null);

/// <summary>The outcome of an idempotent comment: the comment carrying the marker, and whether this call created it.</summary>
public sealed record MarkedComment(GitHubComment Comment, bool Created);

sealed record CheckRunPage(int TotalCount, IReadOnlyList<GitHubCheckRun> CheckRuns);

sealed record GitHubInstallation(long Id);

/// <summary>An installation access token. Not a record, so no generated ToString can print the token.</summary>
sealed class InstallationToken
{
    public required string Token { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}
