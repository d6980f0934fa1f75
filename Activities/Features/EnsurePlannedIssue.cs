using Baton.Activities.GitHub;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Activities.Features;

/// <summary>One planned issue: the issue whose body carries its marker (open or closed), else a new one with its labels
/// and milestone. Safe to repeat: a re-run after a crash finds what the first run created.</summary>
public sealed class EnsurePlannedIssue(GitHubClient github) : TaskActivity<PlannedIssueSpec, CreatedIssue>
{
    public override async Task<CreatedIssue> RunAsync(TaskActivityContext context, PlannedIssueSpec spec)
    {
        var (owner, repo) = EnsureFeatureMilestone.Split(spec.Repository);
        var existing = (await github.ListIssuesAsync(owner, repo, state: GitHubIssueState.All, cancellationToken: CancellationToken.None))
            .FirstOrDefault(i => !i.IsPullRequest && i.Body?.Contains(spec.Marker, StringComparison.Ordinal) == true);
        var issue = existing ?? await github.CreateIssueAsync(owner, repo, spec.Title, spec.Body, spec.Labels, spec.Milestone, CancellationToken.None);
        return new CreatedIssue(spec.PlanId, spec.Repository, issue.Number, issue.Id, issue.HtmlUrl);
    }
}
