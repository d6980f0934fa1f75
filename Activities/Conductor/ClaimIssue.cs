using Baton.Activities.Agents;
using Baton.Activities.GitHub;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Pipeline;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.DurableTask;

namespace Baton.Activities.Conductor;

/// <summary>
/// Claims an issue for an agent: the <c>in-progress</c> label, the agent's assignment, one comment. Safe to repeat.
/// Returns the work plan (the first agent job, built from the issue's text, plus the pipeline's limits and people),
/// read from the <c>Pipeline</c> settings here, in an activity, so that configuration is read once and recorded rather
/// than read by the orchestrator on every replay.
/// </summary>
public sealed class ClaimIssue(GitHubClient github, IOptions<ConductorOptions> options, IOptions<PipelineOptions> pipeline,
    IOptions<GateOptions> gates)
    : TaskActivity<IssueRef, IssueWork>
{
    public override async Task<IssueWork> RunAsync(TaskActivityContext context, IssueRef issue)
    {
        var (owner, repo, number) = (issue.Owner, issue.Repo, issue.Number);
        await github.EnsureLabelAsync(owner, repo, number, BoardLabels.InProgress, CancellationToken.None);
        if (options.Value.AgentLogin is { Length: > 0 } agent)
            await github.AddAssigneesAsync(owner, repo, number, [agent], CancellationToken.None);
        await github.CreateCommentOnceAsync(owner, repo, number, "claim",
            "Baton has queued this issue for an agent and will report progress here.", CancellationToken.None);

        var text = await github.GetIssueAsync(owner, repo, number, CancellationToken.None);
        var settings = pipeline.Value;
        var job = new AgentJobRequest(issue, text.Title, text.Body ?? "", "implement", settings.Implementer.ToLowerInvariant(),
            settings.ImplementerModel, settings.BaseBranch, BranchName(number, text.Title), [],
            new AgentBudget(settings.MaxIterations, (int)settings.WallTime.TotalSeconds, settings.MaxTokens, settings.MaxCostUsd));
        var limits = new IssueLimits(settings.MaxSelfHeal, settings.MaxReviewRounds, settings.MaxAgentRuns, settings.MaxIssueCostUsd,
            settings.CiTimeout, settings.CiPollInterval, settings.MergeMethod) { RequireCi = settings.RequireCi };
        return new IssueWork(job, settings.Reviewer.ToLowerInvariant(), settings.ReviewerModel, limits, gates.Value.Approvers,
            options.Value.AgentLogin) { IssueUrl = text.HtmlUrl };
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
