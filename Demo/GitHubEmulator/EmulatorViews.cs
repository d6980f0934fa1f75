namespace Baton.Demo.GitHubEmulator;

/// <summary>An issue or pull request: its repository (<c>owner/repo</c>), number, and database id (what dependencies take).</summary>
public sealed record EmulatedIssueRef(string Repository, int Number, long Id);

/// <summary>A snapshot of an issue for assertions.</summary>
public sealed record EmulatedIssueView(
    EmulatedIssueRef Issue,
    string Title,
    string State,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> Assignees,
    IReadOnlyList<string> Comments,
    int? Milestone,
    IReadOnlyList<EmulatedIssueRef> BlockedBy,
    IReadOnlyList<(string Event, string? Label, DateTimeOffset At)> Events);

/// <summary>A snapshot of a pull request for assertions.</summary>
public sealed record EmulatedPullRequestView(
    EmulatedIssueRef PullRequest,
    string State,
    string Head,
    string HeadSha,
    string Base,
    bool Merged,
    string? MergeCommitSha,
    IReadOnlyList<(string Reviewer, string State, string CommitId)> Reviews)
{
    public string Title { get; init; } = "";
    public IReadOnlyList<string> Labels { get; init; } = [];
    /// <summary>The changed files' paths, as <c>GET …/pulls/{n}/files</c> lists them.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}

/// <summary>A review for assertions; <see cref="State"/> as REST spells it (<c>APPROVED</c>, <c>CHANGES_REQUESTED</c>, <c>COMMENTED</c>).</summary>
public sealed record EmulatedReviewView(long Id, string Reviewer, string State, string CommitId, string? Body);

/// <summary>A snapshot of a milestone for assertions.</summary>
public sealed record EmulatedMilestoneView(int Number, string Title, string State, int OpenIssues, int ClosedIssues);
