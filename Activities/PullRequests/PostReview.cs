using Baton.Activities.GitHub;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>
/// Posts the reviewer agent's verdict as a pull-request review on the head it reviewed. Baton opened the pull request
/// with the same identity, and GitHub does not let an identity approve or request changes on its own pull request,
/// so the review is a COMMENT review whose first line states the verdict; it never counts as a human approval.
/// One review per head and round (marker), so a retry posts nothing twice.
/// </summary>
public sealed class PostReview(GitHubClient github) : TaskActivity<ReviewPost, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, ReviewPost post)
    {
        var verdict = post.Verdict == "approve" ? "✅ **Approve**" : "🔁 **Changes requested**";
        var body = $"{verdict} — review by the reviewer agent ({post.Reviewer}), round {post.Round}.\n\n{post.Summary}";
        var review = await github.CreateReviewAsync(post.Issue.Owner, post.Issue.Repo, post.PullRequest, GitHubReviewEvent.Comment,
            body, post.HeadSha, $"agent-review-{post.Round}", CancellationToken.None);
        return review.Created;
    }
}
