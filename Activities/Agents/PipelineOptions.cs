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

    internal bool IsKnownAgent(string agent) => AgentJobs.KnownAgents.Contains(agent, StringComparer.OrdinalIgnoreCase);
}
