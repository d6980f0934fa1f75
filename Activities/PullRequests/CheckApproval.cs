using Baton.Activities.GitHub;
using Baton.Orchestrations.Pipeline;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>Reads the pull request's reviews and decides whether an allowed person approved the current head
/// (<see cref="GateRules.IsSatisfied"/>): reviews are the source of truth, webhooks only say when to look.</summary>
public sealed class CheckApproval(GitHubClient github) : TaskActivity<ApprovalQuery, ApprovalOutcome>
{
    public override async Task<ApprovalOutcome> RunAsync(TaskActivityContext context, ApprovalQuery query)
    {
        var reviews = await github.ListReviewsAsync(query.Issue.Owner, query.Issue.Repo, query.PullRequest, CancellationToken.None);
        var verdict = GateRules.IsSatisfied(reviews.Select(ReviewInfo.From).ToList(), query.HeadSha,
            new HashSet<string>(query.Approvers, StringComparer.OrdinalIgnoreCase), query.BotLogin ?? "");
        return new ApprovalOutcome(verdict.Satisfied, verdict.ApprovedBy, verdict.Reason);
    }
}
