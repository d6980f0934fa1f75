using Baton.Durable;
using Baton.Activities.GitHub;
using Baton.Orchestrations.Conductor;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Conductor;

/// <summary>Claims an issue for an agent: the <c>in-progress</c> label, the agent's assignment, one comment. Safe to repeat.</summary>
public sealed class ClaimIssue(GitHubClient github, IOptions<ConductorOptions> options) : TaskActivity<IssueRef, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, IssueRef issue)
    {
        var (owner, repo, number) = (issue.Owner, issue.Repo, issue.Number);
        await github.EnsureLabelAsync(owner, repo, number, BoardLabels.InProgress, context.CancellationToken);
        if (options.Value.AgentLogin is { Length: > 0 } agent)
            await github.AddAssigneesAsync(owner, repo, number, [agent], context.CancellationToken);
        var comment = await github.CreateCommentOnceAsync(owner, repo, number, "claim",
            "Baton has queued this issue for an agent and will report progress here.", context.CancellationToken);
        return comment.Created;
    }
}
