using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <summary>Opens the issue's pull request from its branch (or finds the one already open: safe to repeat), links the
/// issue, and moves the issue from <c>in-progress</c> to <c>in-review</c>.</summary>
public sealed class OpenPullRequest(GitHubClient github) : TaskActivity<PullRequestRequest, PullRequestInfo>
{
    public override async Task<PullRequestInfo> RunAsync(TaskActivityContext context, PullRequestRequest request)
    {
        var (owner, repo, number) = (request.Issue.Owner, request.Issue.Repo, request.Issue.Number);
        var ct = CancellationToken.None;
        var summary = string.IsNullOrWhiteSpace(request.Summary)
            ? ""
            : "\n\nWhat the agent says it did:\n\n" + string.Join('\n', request.Summary.Trim().Split('\n').Select(line => "> " + line));
        var body = $"Closes #{number}.{summary}\n\nOpened by Baton; CI, a reviewer agent and (where the change is risky) a person " +
                   "check it before it merges.\n" + GitHubClient.CommentMarker("pull-request");
        var pull = await github.CreatePullRequestAsync(owner, repo,
            new NewPullRequest($"{request.Title} (#{number})", request.Branch, request.BaseBranch, body), ct);

        await github.EnsureLabelAsync(owner, repo, number, BoardLabels.InReview, ct);
        await github.RemoveLabelAsync(owner, repo, number, BoardLabels.InProgress, ct);
        await github.CreateCommentOnceAsync(owner, repo, number, $"pull-request-{pull.Number}",
            $"Baton opened pull request #{pull.Number} for this issue.", ct);
        return new PullRequestInfo(pull.Number, pull.HtmlUrl, pull.Head.Sha);
    }
}
