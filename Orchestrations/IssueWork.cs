using Baton.Activities.Agents;

namespace Baton.Orchestrations;

/// <summary>
/// Everything an <see cref="IssueOrchestration"/> needs to know up front, returned by the claim activity so that the
/// settings are read once and recorded in history (an orchestrator never reads configuration itself).
/// </summary>
/// <param name="Job">The first implementer job.</param>
/// <param name="ReviewerAgent">The reviewing adapter (never the implementer).</param>
/// <param name="ReviewerModel">The reviewer's model, if configured.</param>
/// <param name="Limits">Budgets and timeouts.</param>
/// <param name="Approvers">Who may satisfy a gate or answer a question.</param>
/// <param name="BotLogin">Baton's own GitHub login: its reviews never satisfy a gate.</param>
public sealed record IssueWork(
    AgentJobRequest Job,
    string ReviewerAgent,
    string? ReviewerModel,
    IssueLimits Limits,
    IReadOnlyList<string> Approvers,
    string? BotLogin)
{
    /// <summary>The issue on GitHub's web, for the links in notifications.</summary>
    public string? IssueUrl { get; init; }
}

public sealed record IssueLimits(
    int MaxSelfHeal,
    int MaxReviewRounds,
    int MaxAgentRuns,
    decimal? MaxIssueCostUsd,
    TimeSpan CiTimeout,
    TimeSpan CiPollInterval,
    string MergeMethod)
{
    /// <summary>False: a head on which no check reports within one poll interval counts as green (a repository
    /// without CI). True (default): it waits, and escalates at the CI timeout.</summary>
    public bool RequireCi { get; init; } = true;
}

/// <summary>How an issue's orchestration ended; also what the demo summarises.</summary>
/// <param name="State">merged, needs-human, failed or closed (by a person).</param>
/// <param name="Summary">One line for people.</param>
public sealed record IssueResult(string State, string Summary)
{
    public int AgentAttempts { get; init; }
    public int ReviewRounds { get; init; }
    public int SelfHeals { get; init; }
    public bool Gated { get; init; }
    public string? ApprovedSha { get; init; }
    public string? MergedSha { get; init; }
    public int? PullRequest { get; init; }
    public decimal CostUsd { get; init; }
}

/// <summary>What an issue's orchestration shows as its custom status.</summary>
public sealed record IssueStatus(string Stage, string Issue, string Agent, string Branch)
{
    public int AgentAttempts { get; init; }
    public int ReviewRounds { get; init; }
    public int? PullRequest { get; init; }
    public string? HeadSha { get; init; }
    public string? Outcome { get; init; }
}

/// <summary>Events the pipeline waits for, raised by the GitHub router (<see cref="DeliverySignals"/>).</summary>
public static class PipelineEvents
{
    /// <summary>A check suite, check run or workflow run completed on some head of the issue's branch.</summary>
    public const string CiCompleted = nameof(CiCompleted);

    /// <summary>Someone submitted a review on the issue's pull request.</summary>
    public const string ReviewSubmitted = nameof(ReviewSubmitted);

    /// <summary>Someone commented <c>/baton answer …</c> on the issue.</summary>
    public const string AnswerPosted = nameof(AnswerPosted);
}

public sealed record CiSignal(string? HeadSha, string? Conclusion);

public sealed record ReviewSignal(string? By, string? State, string? CommitId);

public sealed record AnswerSignal(string By, string Text);
