using Baton.Orchestrations.Conductor;

namespace Baton.Activities.PullRequests;

/// <param name="Summary">The agent's own account of the change, for the PR body (untrusted text, shown as a quote).</param>
public sealed record PullRequestRequest(IssueRef Issue, string Branch, string BaseBranch, string Title, string? Summary);

public sealed record PullRequestInfo(int Number, string Url, string HeadSha);

public sealed record CiQuery(string Repository, string HeadSha);

/// <param name="State">pending, success, failure, or none (no check reported on this head yet).</param>
/// <param name="Failures">For a failure: one line per failing check, fed back to the agent.</param>
public sealed record CiStatus(string State, IReadOnlyList<string> Failures)
{
    public const string Pending = "pending", Success = "success", Failure = "failure", None = "none";
}

/// <param name="Verdict">"approve" or "changes_requested".</param>
/// <param name="Reviewer">The reviewing adapter (and model), named in the review.</param>
public sealed record ReviewPost(IssueRef Issue, int PullRequest, string HeadSha, string Verdict, string Summary, string Reviewer, int Round);

public sealed record MergeRequest(IssueRef Issue, int PullRequest, string HeadSha, string Method, string Title);

/// <param name="HeadMoved">The head is no longer <see cref="MergeRequest.HeadSha"/> (GitHub answered 409).</param>
public sealed record MergeOutcome(bool Merged, string? Sha, bool HeadMoved, string Message);

public sealed record GateQuery(IssueRef Issue, int PullRequest, string HeadSha, string BaseBranch, IReadOnlyList<string> Approvers);

/// <param name="Classes">The risk classes the change touches (auth-session, payments, …), empty when not gated.</param>
/// <param name="Explanation">Which paths triggered which class, for the comment; or why the rules could not be read.</param>
/// <param name="Approvers">Who may approve: the server's list merged with the repository's <c>.baton.yml</c>.</param>
public sealed record GateOutcome(bool Gated, IReadOnlyList<string> Classes, string Explanation, IReadOnlyList<string> Approvers);

public sealed record ApprovalQuery(IssueRef Issue, int PullRequest, string HeadSha, IReadOnlyList<string> Approvers, string? BotLogin);

/// <param name="By">Who approved the head, when satisfied.</param>
/// <param name="Why">Why not yet (e.g. "alice approved an older commit"), for the status.</param>
public sealed record ApprovalOutcome(bool Satisfied, string? By, string Why);
