using Baton.Activities.GitHub;
using Baton.Activities.Jira;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Features;

/// <summary>Reads how a created feature stands on GitHub: whether an issue was claimed, whether every milestone is
/// closed, and then its merged pull requests (Baton's branches are <c>baton/{issue}-…</c>). Reads only.</summary>
public sealed class ReadFeatureProgress(GitHubClient github, IOptions<JiraOptions> options) : TaskActivity<FeatureFollowUp, FeatureProgress>
{
    static readonly string[] Claimed = [BoardLabels.InProgress, BoardLabels.InReview, BoardLabels.Done];

    public override async Task<FeatureProgress> RunAsync(TaskActivityContext context, FeatureFollowUp followUp)
    {
        var started = false;
        foreach (var planned in followUp.Issues)
        {
            var (owner, repo) = EnsureFeatureMilestone.Split(planned.Repository);
            var issue = await github.GetIssueAsync(owner, repo, planned.Number, CancellationToken.None);
            if (issue.State == "closed" || Claimed.Any(issue.HasLabel)) { started = true; break; }
        }
        var complete = followUp.Milestones.Count > 0;
        foreach (var milestone in followUp.Milestones)
        {
            var (owner, repo) = EnsureFeatureMilestone.Split(milestone.Repository);
            complete &= (await github.GetMilestoneAsync(owner, repo, milestone.Number, CancellationToken.None)).State == "closed";
        }
        var merged = complete ? await MergedAsync(followUp.Issues) : [];
        return new FeatureProgress(started, complete, merged, options.Value.ProgressPollInterval);
    }

    async Task<IReadOnlyList<MergedPullRequest>> MergedAsync(IReadOnlyList<CreatedIssue> issues)
    {
        var merged = new List<MergedPullRequest>();
        foreach (var group in issues.GroupBy(i => i.Repository))
        {
            var (owner, repo) = EnsureFeatureMilestone.Split(group.Key);
            var pulls = await github.ListPullRequestsAsync(owner, repo, state: GitHubIssueState.Closed, cancellationToken: CancellationToken.None);
            merged.AddRange(pulls
                .Where(p => p.Merged == true && group.Any(i => IsBranchOf(p.Head.Ref, i.Number)))
                .OrderBy(p => p.Number)
                .Select(p => new MergedPullRequest(group.Key, p.Number, p.Title, p.HtmlUrl)));
        }
        return merged;
    }

    static bool IsBranchOf(string? branch, int issue) =>
        branch is not null && (branch == $"baton/{issue}" || branch.StartsWith($"baton/{issue}-", StringComparison.Ordinal));
}
