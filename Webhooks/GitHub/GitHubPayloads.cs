namespace Baton.Webhooks.GitHub;

// Only the fields Baton acts on; GitHub sends far more. Required members are what every delivery of that event
// carries: a payload without them is malformed (400), not a new shape to tolerate silently.

public sealed record GitHubUser
{
    public required string Login { get; init; }
    public long Id { get; init; }
}

public sealed record GitHubRepository
{
    public long Id { get; init; }
    public required string FullName { get; init; }
}

public sealed record GitHubLabel
{
    public long Id { get; init; }
    public required string Name { get; init; }
}

public sealed record GitHubMilestone
{
    public long Id { get; init; }
    public int Number { get; init; }
    public required string Title { get; init; }
    public required string State { get; init; }
    public int OpenIssues { get; init; }
    public int ClosedIssues { get; init; }
}

/// <summary>Present on an issue that is really a pull request (GitHub's issues API covers both).</summary>
public sealed record GitHubIssuePullRequestLink
{
    public string? Url { get; init; }
}

public sealed record GitHubIssue
{
    /// <summary>The database id: GitHub's dependency API takes this, not the number.</summary>
    public long Id { get; init; }
    public required int Number { get; init; }
    public string? Title { get; init; }
    /// <summary><c>open</c> or <c>closed</c>; some actions (pinned, unpinned) send a partial issue without it.</summary>
    public string? State { get; init; }
    public string? StateReason { get; init; }
    /// <summary>Names the owning repository; blockers may live in another one.</summary>
    public string? RepositoryUrl { get; init; }
    public IReadOnlyList<GitHubLabel> Labels { get; init; } = [];
    public IReadOnlyList<GitHubUser> Assignees { get; init; } = [];
    public GitHubMilestone? Milestone { get; init; }
    public GitHubIssuePullRequestLink? PullRequest { get; init; }
}

public sealed record GitHubComment
{
    public long Id { get; init; }
    public GitHubUser? User { get; init; }
    public string? Body { get; init; }
}

public sealed record GitHubBranchRef
{
    public required string Ref { get; init; }
    public required string Sha { get; init; }
}

public sealed record GitHubPullRequest
{
    public long Id { get; init; }
    public required int Number { get; init; }
    public required string State { get; init; }
    public bool Draft { get; init; }
    public bool? Merged { get; init; }
    public required GitHubBranchRef Head { get; init; }
    public required GitHubBranchRef Base { get; init; }
    public IReadOnlyList<GitHubLabel> Labels { get; init; } = [];
    public GitHubMilestone? Milestone { get; init; }
}

/// <summary>A pull request as CI payloads list it: enough to find the issue's PR.</summary>
public sealed record GitHubPullRequestRef
{
    public long Id { get; init; }
    public int Number { get; init; }
}

public sealed record GitHubReview
{
    public long Id { get; init; }
    /// <summary><c>approved</c>, <c>changes_requested</c>, <c>commented</c>, <c>dismissed</c>.</summary>
    public required string State { get; init; }
    public string? CommitId { get; init; }
    public GitHubUser? User { get; init; }
}

public sealed record GitHubCheckSuite
{
    public long Id { get; init; }
    public string? HeadBranch { get; init; }
    public required string HeadSha { get; init; }
    public string? Status { get; init; }
    public string? Conclusion { get; init; }
    public IReadOnlyList<GitHubPullRequestRef> PullRequests { get; init; } = [];
}

public sealed record GitHubCheckRun
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public required string HeadSha { get; init; }
    public string? Status { get; init; }
    public string? Conclusion { get; init; }
    public IReadOnlyList<GitHubPullRequestRef> PullRequests { get; init; } = [];
}

public sealed record GitHubWorkflowRun
{
    public long Id { get; init; }
    public string? Name { get; init; }
    public string? HeadBranch { get; init; }
    public required string HeadSha { get; init; }
    public string? Status { get; init; }
    public string? Conclusion { get; init; }
    public int RunAttempt { get; init; }
    public IReadOnlyList<GitHubPullRequestRef> PullRequests { get; init; } = [];
}

public sealed record GitHubInstallation
{
    public long Id { get; init; }
    public long? AppId { get; init; }
    public GitHubUser? Account { get; init; }
}

public sealed record GitHubInstallationRepository
{
    public required string FullName { get; init; }
}

/// <summary>What every event shares. <see cref="IssueNumber"/> is the issue or pull request the delivery is about,
/// when there is exactly one.</summary>
public abstract record GitHubWebhookPayload
{
    public string? Action { get; init; }
    public GitHubRepository? Repository { get; init; }
    public GitHubUser? Sender { get; init; }
    /// <summary>Set when the delivery comes through a GitHub App (full details on installation events).</summary>
    public GitHubInstallation? Installation { get; init; }

    public virtual int? IssueNumber => null;
}

/// <summary>An event Baton has no record for: only the common fields are read.</summary>
public sealed record OtherGitHubEvent : GitHubWebhookPayload;

public sealed record IssuesEvent : GitHubWebhookPayload
{
    public required GitHubIssue Issue { get; init; }
    /// <summary>The label added or removed (labeled, unlabeled).</summary>
    public GitHubLabel? Label { get; init; }
    /// <summary>The milestone set or cleared (milestoned, demilestoned).</summary>
    public GitHubMilestone? Milestone { get; init; }
    /// <summary>The person assigned (assigned).</summary>
    public GitHubUser? Assignee { get; init; }

    public override int? IssueNumber => Issue.Number;
}

/// <summary>GitHub's native "blocked by" relationship. The blocked issue is the one whose queue state changes.</summary>
public sealed record IssueDependenciesEvent : GitHubWebhookPayload
{
    public long? BlockedIssueId { get; init; }
    public long? BlockingIssueId { get; init; }
    public GitHubIssue? BlockedIssue { get; init; }
    public GitHubIssue? BlockingIssue { get; init; }

    public override int? IssueNumber => BlockedIssue?.Number;
}

public sealed record SubIssuesEvent : GitHubWebhookPayload
{
    public long? SubIssueId { get; init; }
    public long? ParentIssueId { get; init; }
    public GitHubIssue? SubIssue { get; init; }
    public GitHubIssue? ParentIssue { get; init; }
    public GitHubRepository? SubIssueRepo { get; init; }
    public GitHubRepository? ParentIssueRepo { get; init; }

    public override int? IssueNumber => SubIssue?.Number;
}

public sealed record IssueCommentEvent : GitHubWebhookPayload
{
    public required GitHubIssue Issue { get; init; }
    public required GitHubComment Comment { get; init; }

    public override int? IssueNumber => Issue.Number;
}

public sealed record PullRequestEvent : GitHubWebhookPayload
{
    public int Number { get; init; }
    public required GitHubPullRequest PullRequest { get; init; }
    public GitHubLabel? Label { get; init; }

    public override int? IssueNumber => PullRequest.Number;
}

public sealed record PullRequestReviewEvent : GitHubWebhookPayload
{
    public required GitHubReview Review { get; init; }
    public required GitHubPullRequest PullRequest { get; init; }

    public override int? IssueNumber => PullRequest.Number;
}

public sealed record CheckSuiteEvent : GitHubWebhookPayload
{
    public required GitHubCheckSuite CheckSuite { get; init; }

    public override int? IssueNumber => CheckSuite.PullRequests is [var only] ? only.Number : null;
}

public sealed record CheckRunEvent : GitHubWebhookPayload
{
    public required GitHubCheckRun CheckRun { get; init; }

    public override int? IssueNumber => CheckRun.PullRequests is [var only] ? only.Number : null;
}

public sealed record WorkflowRunEvent : GitHubWebhookPayload
{
    public required GitHubWorkflowRun WorkflowRun { get; init; }

    public override int? IssueNumber => WorkflowRun.PullRequests is [var only] ? only.Number : null;
}

public sealed record MilestoneEvent : GitHubWebhookPayload
{
    public required GitHubMilestone Milestone { get; init; }
}

/// <summary>The App was installed, removed, suspended… (the installation itself is the common field).</summary>
public sealed record InstallationEvent : GitHubWebhookPayload
{
    public IReadOnlyList<GitHubInstallationRepository> Repositories { get; init; } = [];
}

public sealed record PingEvent : GitHubWebhookPayload
{
    public string? Zen { get; init; }
    public long? HookId { get; init; }
}
