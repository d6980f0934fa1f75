using static Baton.Webhooks.GitHub.GitHubAction;
using static Baton.Webhooks.GitHub.GitHubEvent;

namespace Baton.Webhooks.GitHub;

/// <summary>What a delivery means to Baton, decided only by its event and action.</summary>
public enum GitHubRouteKind
{
    Ignored,
    IssueChanged,
    DependencyChanged,
    CommentAdded,
    PullRequestChanged,
    ReviewSubmitted,
    CiCompleted,
    MilestoneChanged,
    Installation,
    Ping,
}

/// <summary>
/// The one routing table: (event, action) → route kind. A pair that is not listed is <see cref="GitHubRouteKind.Ignored"/>
/// (accepted with 202, logged, not recorded). A null action matches an event that carries none (ping).
/// </summary>
public static class GitHubRoutes
{
    static readonly (string Event, string? Action, GitHubRouteKind Route)[] Entries =
    [
        (Issues, Opened, GitHubRouteKind.IssueChanged),
        (Issues, Edited, GitHubRouteKind.IssueChanged),
        (Issues, Labeled, GitHubRouteKind.IssueChanged),
        (Issues, Unlabeled, GitHubRouteKind.IssueChanged),
        (Issues, Assigned, GitHubRouteKind.IssueChanged),
        (Issues, Closed, GitHubRouteKind.IssueChanged),
        (Issues, Reopened, GitHubRouteKind.IssueChanged),
        // Membership changes decide when a milestone is complete, so they go where milestone events go.
        (Issues, Milestoned, GitHubRouteKind.MilestoneChanged),
        (Issues, Demilestoned, GitHubRouteKind.MilestoneChanged),

        (IssueDependencies, BlockedByAdded, GitHubRouteKind.DependencyChanged),
        (IssueDependencies, BlockedByRemoved, GitHubRouteKind.DependencyChanged),
        (IssueDependencies, BlockingAdded, GitHubRouteKind.DependencyChanged),
        (IssueDependencies, BlockingRemoved, GitHubRouteKind.DependencyChanged),
        (SubIssues, SubIssueAdded, GitHubRouteKind.DependencyChanged),
        (SubIssues, SubIssueRemoved, GitHubRouteKind.DependencyChanged),
        (SubIssues, ParentIssueAdded, GitHubRouteKind.DependencyChanged),
        (SubIssues, ParentIssueRemoved, GitHubRouteKind.DependencyChanged),

        (IssueComment, Created, GitHubRouteKind.CommentAdded),

        (PullRequest, Opened, GitHubRouteKind.PullRequestChanged),
        (PullRequest, Reopened, GitHubRouteKind.PullRequestChanged),
        (PullRequest, Synchronize, GitHubRouteKind.PullRequestChanged),
        (PullRequest, ReadyForReview, GitHubRouteKind.PullRequestChanged),
        (PullRequest, Closed, GitHubRouteKind.PullRequestChanged),
        (PullRequestReview, Submitted, GitHubRouteKind.ReviewSubmitted),

        (CheckSuite, Completed, GitHubRouteKind.CiCompleted),
        (CheckRun, Completed, GitHubRouteKind.CiCompleted),
        (WorkflowRun, Completed, GitHubRouteKind.CiCompleted),

        (Milestone, Created, GitHubRouteKind.MilestoneChanged),
        (Milestone, Opened, GitHubRouteKind.MilestoneChanged),
        (Milestone, Edited, GitHubRouteKind.MilestoneChanged),
        (Milestone, Closed, GitHubRouteKind.MilestoneChanged),
        (Milestone, Deleted, GitHubRouteKind.MilestoneChanged),

        (GitHubEvent.Installation, Created, GitHubRouteKind.Installation),
        (GitHubEvent.Installation, Deleted, GitHubRouteKind.Installation),
        (GitHubEvent.Installation, Suspend, GitHubRouteKind.Installation),
        (GitHubEvent.Installation, Unsuspend, GitHubRouteKind.Installation),
        (GitHubEvent.Installation, NewPermissionsAccepted, GitHubRouteKind.Installation),

        (GitHubEvent.Ping, null, GitHubRouteKind.Ping),
    ];

    static readonly Dictionary<(string Event, string? Action), GitHubRouteKind> Table =
        Entries.ToDictionary(e => (e.Event, e.Action), e => e.Route);

    public static IReadOnlyList<(string Event, string? Action, GitHubRouteKind Route)> All => Entries;

    public static GitHubRouteKind Route(string gitHubEvent, string? action) =>
        Table.GetValueOrDefault((gitHubEvent, action), GitHubRouteKind.Ignored);
}
