using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Agents;

/// <summary>How issues are turned into agent jobs, bound from the <c>Pipeline</c> section (<c>Pipeline__Implementer</c>, …).</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>The adapter that implements issues: claude-code, opencode, codex, aider or command.</summary>
    [Required]
    public string Implementer { get; set; } = "claude-code";

    /// <summary>The model the implementer asks for; the adapter's default when empty.</summary>
    public string? ImplementerModel { get; set; }

    /// <summary>The branch agents start from and pull requests target.</summary>
    [Required]
    public string BaseBranch { get; set; } = "main";

    /// <summary>The agent's own loop cap per attempt (Claude Code's --max-turns).</summary>
    [Range(1, 1000)]
    public int MaxIterations { get; set; } = 40;

    /// <summary>Wall-clock limit per attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan WallTime { get; set; } = TimeSpan.FromMinutes(45);

    /// <summary>Token cap per attempt, where the CLI reports tokens.</summary>
    public long? MaxTokens { get; set; }

    /// <summary>Cost cap per attempt in USD, where the CLI reports cost.</summary>
    public decimal? MaxCostUsd { get; set; }

    /// <summary>The adapter that reviews pull requests. It must differ from the implementer (another adapter, or the
    /// same adapter with another model): an agent never reviews its own work.</summary>
    [Required]
    public string Reviewer { get; set; } = "codex";

    public string? ReviewerModel { get; set; }

    /// <summary>New implementer attempts after red CI before escalating (ARCHITECTURE.md §2.2 step 5).</summary>
    [Range(0, 20)]
    public int MaxSelfHeal { get; set; } = 3;

    /// <summary>Rounds of requested changes from the reviewer before escalating.</summary>
    [Range(0, 20)]
    public int MaxReviewRounds { get; set; } = 2;

    /// <summary>The issue's budget of implementer runs, whatever caused them (CI, review, answers).</summary>
    [Range(1, 100)]
    public int MaxAgentRuns { get; set; } = 8;

    /// <summary>The issue's cost budget in USD over all runs, where the CLI reports cost.</summary>
    public decimal? MaxIssueCostUsd { get; set; }

    /// <summary>How long to wait for CI on one head before escalating.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "7.00:00:00")]
    public TimeSpan CiTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>False for repositories without CI: a head no check reports on within <see cref="CiPollInterval"/>
    /// counts as green. True (default): Baton waits for CI and escalates at <see cref="CiTimeout"/>.</summary>
    public bool RequireCi { get; set; } = true;

    /// <summary>Without a webhook, CI is polled this often (the fallback for lost deliveries).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CiPollInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>squash (default), merge or rebase.</summary>
    [RegularExpression("^(squash|merge|rebase)$")]
    public string MergeMethod { get; set; } = "squash";

    internal bool ReviewerIsImplementer =>
        string.Equals(Reviewer, Implementer, StringComparison.OrdinalIgnoreCase)
        && string.Equals(ReviewerModel ?? "", ImplementerModel ?? "", StringComparison.OrdinalIgnoreCase);

    internal bool IsKnownAgent(string agent) => AgentJobs.KnownAgents.Contains(agent, StringComparer.OrdinalIgnoreCase);
}
