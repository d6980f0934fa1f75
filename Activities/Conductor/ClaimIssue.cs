using Baton.Activities.Agents;
using Baton.Activities.GitHub;
using Baton.Durable;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Conductor;

/// <summary>
/// Claims an issue for an agent: the <c>in-progress</c> label, the agent's assignment, one comment. Safe to repeat.
/// Returns the first agent job for it, built from the issue's text and the <c>Pipeline</c> settings here, in an
/// activity, so that configuration is read once and recorded rather than read by the orchestrator on every replay.
/// </summary>
public sealed class ClaimIssue(GitHubClient github, IOptions<ConductorOptions> options, IOptions<PipelineOptions> pipeline)
    : TaskActivity<IssueRef, AgentJobRequest>
{
    public override async Task<AgentJobRequest> RunAsync(TaskActivityContext context, IssueRef issue)
    {
        var (owner, repo, number) = (issue.Owner, issue.Repo, issue.Number);
        await github.EnsureLabelAsync(owner, repo, number, BoardLabels.InProgress, context.CancellationToken);
        if (options.Value.AgentLogin is { Length: > 0 } agent)
            await github.AddAssigneesAsync(owner, repo, number, [agent], context.CancellationToken);
        await github.CreateCommentOnceAsync(owner, repo, number, "claim",
            "Baton has queued this issue for an agent and will report progress here.", context.CancellationToken);

        var text = await github.GetIssueAsync(owner, repo, number, context.CancellationToken);
        var settings = pipeline.Value;
        return new AgentJobRequest(issue, text.Title, text.Body ?? "", "implement", settings.Implementer.ToLowerInvariant(),
            settings.ImplementerModel, settings.BaseBranch, BranchName(number, text.Title), [],
            new AgentBudget(settings.MaxIterations, (int)settings.WallTime.TotalSeconds, settings.MaxTokens, settings.MaxCostUsd));
    }

    /// <summary><c>baton/&lt;number&gt;-&lt;slug&gt;</c>: lower-case words of the title, at most 40 characters.</summary>
    public static string BranchName(int number, string title)
    {
        var words = new string(title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ').ToArray())
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var slug = string.Join('-', words);
        if (slug.Length > 40) slug = slug[..40].TrimEnd('-');
        return slug.Length == 0 ? $"baton/{number}" : $"baton/{number}-{slug}";
    }
}
