namespace Baton.Webhooks.GitHub;

/// <summary>The <c>X-GitHub-Event</c> names Baton knows. Compare and route with these, never with literals.</summary>
public static class GitHubEvent
{
    public const string Issues = "issues";
    public const string IssueDependencies = "issue_dependencies";
    public const string SubIssues = "sub_issues";
    public const string IssueComment = "issue_comment";
    public const string PullRequest = "pull_request";
    public const string PullRequestReview = "pull_request_review";
    public const string CheckSuite = "check_suite";
    public const string CheckRun = "check_run";
    public const string WorkflowRun = "workflow_run";
    public const string Milestone = "milestone";
    public const string Installation = "installation";
    public const string Ping = "ping";
}

/// <summary>The payload <c>action</c> values the routing table names.</summary>
public static class GitHubAction
{
    public const string Opened = "opened";
    public const string Edited = "edited";
    public const string Closed = "closed";
    public const string Reopened = "reopened";
    public const string Created = "created";
    public const string Deleted = "deleted";
    public const string Labeled = "labeled";
    public const string Unlabeled = "unlabeled";
    public const string Assigned = "assigned";
    public const string Milestoned = "milestoned";
    public const string Demilestoned = "demilestoned";
    public const string Completed = "completed";
    public const string Submitted = "submitted";
    public const string Synchronize = "synchronize";
    public const string ReadyForReview = "ready_for_review";
    public const string BlockedByAdded = "blocked_by_added";
    public const string BlockedByRemoved = "blocked_by_removed";
    public const string BlockingAdded = "blocking_added";
    public const string BlockingRemoved = "blocking_removed";
    public const string SubIssueAdded = "sub_issue_added";
    public const string SubIssueRemoved = "sub_issue_removed";
    public const string ParentIssueAdded = "parent_issue_added";
    public const string ParentIssueRemoved = "parent_issue_removed";
    public const string Suspend = "suspend";
    public const string Unsuspend = "unsuspend";
    public const string NewPermissionsAccepted = "new_permissions_accepted";
}
