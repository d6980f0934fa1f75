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
    DateTimeOffset? ClosedAt = null,
    string? HtmlUrl = null);

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

/// <summary>
/// A file of a pull request. GitHub omits <see cref="Patch"/> for binary files and very large diffs;
/// <see cref="PreviousFilename"/> is set when <see cref="Status"/> is <c>renamed</c>.
/// </summary>
public sealed record GitHubPullRequestFile(
    string Filename, string Status, int Additions, int Deletions, int Changes, string? Patch = null, string? PreviousFilename = null);

public sealed record GitHubMergeResult(string Sha, bool Merged, string Message);

/// <summary>How a merge attempt ended, when it did not throw (see <see cref="GitHubClient.TryMergePullRequestAsync"/>).</summary>
public enum GitHubMergeStatus
{
    /// <summary>This call merged it.</summary>
    Merged,

    /// <summary>It was merged already (an earlier attempt got through, or a person merged it).</summary>
    AlreadyMerged,

    /// <summary>409: the head is no longer the <c>sha</c> that was checked; re-check CI, review and gates on the new head.</summary>
    HeadModified,

    /// <summary>405: GitHub will not merge it now (conflicts, branch protection, required checks or reviews missing).</summary>
    NotMergeable,
}

/// <summary>The result of <see cref="GitHubClient.TryMergePullRequestAsync"/>; <see cref="Sha"/> is the merge commit when merged.</summary>
public sealed record GitHubMergeAttempt(GitHubMergeStatus Status, string? Sha, string Message)
{
    public bool IsMerged => Status is GitHubMergeStatus.Merged or GitHubMergeStatus.AlreadyMerged;
}

/// <summary>What a check run reported: GitHub's <c>output.title</c>, <c>summary</c> and (markdown) <c>text</c>.</summary>
public sealed record GitHubCheckRunOutput(string? Title = null, string? Summary = null, string? Text = null, int AnnotationsCount = 0);

public sealed record GitHubCheckRun(
    long Id,
    string Name,
    string Status,
    string HeadSha,
    string? Conclusion = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? CompletedAt = null,
    GitHubCheckRunOutput? Output = null,
    string? DetailsUrl = null,
    string? HtmlUrl = null);

/// <summary>A check suite: one app's checks on one commit (<see cref="Conclusion"/> is null until it completes).</summary>
public sealed record GitHubCheckSuite(
    long Id,
    string HeadSha,
    string? Status = null,
    string? Conclusion = null,
    string? HeadBranch = null,
    GitHubApp? App = null,
    int LatestCheckRunsCount = 0);

/// <summary>The GitHub App behind a check suite.</summary>
public sealed record GitHubApp(long Id, string? Slug = null, string? Name = null);

/// <summary>A repository; <see cref="DefaultBranch"/> is where <c>.baton.yml</c> is read from.</summary>
public sealed record GitHubRepository(
    long Id,
    string Name,
    string FullName,
    string DefaultBranch,
    bool Private = false,
    bool Archived = false,
    string? HtmlUrl = null);

/// <summary>
/// A pull-request review. <see cref="CommitId"/> is the head it was submitted on; <see cref="State"/> is
/// APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING.
/// </summary>
public sealed record GitHubReview(
    long Id,
    GitHubUser? User,
    string State,
    string? CommitId,
    string? Body = null,
    DateTimeOffset? SubmittedAt = null,
    string? HtmlUrl = null);

/// <summary>The verdict of a review to submit; <see cref="GitHubReviews.EventName"/> gives GitHub's spelling.</summary>
public enum GitHubReviewEvent { Approve, RequestChanges, Comment }

/// <summary>The outcome of an idempotent review: the review carrying the marker, and whether this call created it.</summary>
public sealed record MarkedReview(GitHubReview Review, bool Created);

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

sealed record CheckSuitePage(int TotalCount, IReadOnlyList<GitHubCheckSuite> CheckSuites);

/// <summary>A <c>GET …/contents/{path}</c> answer for a file: base64 text, or <c>encoding: none</c> above 1 MB.</summary>
sealed record ContentFile(string Type, string? Encoding = null, string? Content = null, long Size = 0, string? Sha = null);

sealed record GitHubInstallation(long Id);

/// <summary>An installation access token. Not a record, so no generated ToString can print the token.</summary>
sealed class InstallationToken
{
    public required string Token { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>A commit status (<c>baton/human-gate</c> is Baton's).</summary>
public sealed record GitHubCommitStatus(long Id, string State, string Context, string? Description, string? TargetUrl, DateTimeOffset CreatedAt);
