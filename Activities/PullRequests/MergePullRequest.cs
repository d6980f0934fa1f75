using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>Merges the pull request at exactly the head that was checked (GitHub refuses with 409 if it moved), then
/// marks the issue <c>done</c> and closes it. Repeating it after a success finds the PR merged and changes nothing.</summary>
public sealed class MergePullRequest(GitHubClient github) : TaskActivity<MergeRequest, MergeOutcome>
{
    public override async Task<MergeOutcome> RunAsync(TaskActivityContext context, MergeRequest request)
    {
        var (owner, repo, number) = (request.Issue.Owner, request.Issue.Repo, request.Issue.Number);
        var ct = CancellationToken.None;
        var merged = await github.TryMergePullRequestAsync(owner, repo, request.PullRequest,
            new PullRequestMerge(request.Method, request.HeadSha, $"{request.Title} (#{request.PullRequest})"), ct);
        if (!merged.IsMerged)
            return new MergeOutcome(false, null, HeadMoved: merged.Status == GitHubMergeStatus.HeadModified, merged.Message);

        await github.EnsureLabelAsync(owner, repo, number, BoardLabels.Done, ct);
        foreach (var label in (string[])[BoardLabels.InReview, BoardLabels.InProgress, BoardLabels.NeedsHuman])
            await github.RemoveLabelAsync(owner, repo, number, label, ct);
        await github.CreateCommentOnceAsync(owner, repo, number, "merged",
            $"Merged #{request.PullRequest} as {merged.Sha}.", ct);
        await github.CloseIssueAsync(owner, repo, number, ct);
        return new MergeOutcome(true, merged.Sha, HeadMoved: false, merged.Message);
    }
}
