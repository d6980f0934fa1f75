using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.DurableTask;

namespace Baton.Activities.PullRequests;

/// <param name="State">pending, success or failure.</param>
public sealed record GateStatusUpdate(IssueRef Issue, int PullRequest, string HeadSha, string State, string Description);

/// <summary>
/// The human gate as GitHub sees it: the commit status <c>baton/human-gate</c> on the gated head, pending until an allowed
/// person approves that exact commit, so branch protection can require it. A new push has no status of its own until Baton
/// gates it again, so an approval never carries over to it. Repeating it is harmless: GitHub keeps the latest per context.
/// </summary>
public sealed class SetGateStatus(GitHubClient github) : TaskActivity<GateStatusUpdate, bool>
{
    public const string Context = "baton/human-gate";

    public override async Task<bool> RunAsync(TaskActivityContext context, GateStatusUpdate update)
    {
        var (owner, repo) = (update.Issue.Owner, update.Issue.Repo);
        var pull = await github.GetPullRequestAsync(owner, repo, update.PullRequest, CancellationToken.None);
        await github.CreateCommitStatusAsync(owner, repo, update.HeadSha, update.State, Context, update.Description, pull.HtmlUrl, CancellationToken.None);
        return true;
    }
}

public sealed record PullRequestClosing(IssueRef Issue, int PullRequest, string Reason);

/// <summary>Closes a rejected pull request with the reason as a comment (once). Safe to repeat.</summary>
public sealed class ClosePullRequest(GitHubClient github) : TaskActivity<PullRequestClosing, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, PullRequestClosing closing)
    {
        var (owner, repo, number) = (closing.Issue.Owner, closing.Issue.Repo, closing.PullRequest);
        await github.CreateCommentOnceAsync(owner, repo, number, $"rejected-{number}", closing.Reason, CancellationToken.None);
        await github.CloseIssueAsync(owner, repo, number, CancellationToken.None);
        return true;
    }
}
