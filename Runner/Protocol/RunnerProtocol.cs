using System.Text.Json.Serialization;

namespace Baton.Runner.Protocol;

// The runner protocol (ARCHITECTURE.md §2.3), spoken over HTTP under /api/runners/... Every call carries
// "Authorization: Bearer <runner token>" (Runner__Tokens__N on the host); job calls also carry the job's lease token.
//
//   POST /api/runners/register                 RunnerRegistration      → 200 RunnerRegistered
//   POST /api/runners/{runnerId}/jobs/next      ?waitSeconds=0..60     → 200 AgentJob | 204 (nothing within the wait)
//   POST /api/runners/jobs/{jobId}/heartbeat    JobHeartbeat           → 200 HeartbeatReply | 410 (lease lost)
//   POST /api/runners/jobs/{jobId}/logs         JobLogLines            → 202 | 410
//   POST /api/runners/jobs/{jobId}/result       JobReport              → 200 | 410
//   GET  /api/runners/jobs                                             → 200 JobSummary[] (queued and running)
//
// A job is offered to one runner at a time under a lease; a runner that stops heartbeating loses it and the job is
// offered again (StaleWorker), a bounded number of times.

/// <summary>What a runner says about itself when it registers.</summary>
/// <param name="Name">A human-readable name (host name, pod name).</param>
/// <param name="Agents">The agent adapters it can run (e.g. "claude-code", "aider", "command").</param>
public sealed record RunnerRegistration(string Name, IReadOnlyList<string> Agents);

/// <param name="RunnerId">Used in the long-poll URL.</param>
/// <param name="HeartbeatSeconds">How often to heartbeat a running job; missing a few loses the job.</param>
public sealed record RunnerRegistered(string RunnerId, int HeartbeatSeconds);

/// <summary>One agent job: implement (or fix, or review) one issue in a fresh clone, on one branch.</summary>
/// <param name="JobId">Stable for the job across re-offers.</param>
/// <param name="LeaseToken">Proves this runner holds the job; sent with every job call.</param>
/// <param name="Offer">1 for the first runner given this job, 2 after one runner went stale, and so on.</param>
/// <param name="Role">"implement" or "review".</param>
/// <param name="Agent">The adapter to run (see <see cref="RunnerRegistration.Agents"/>), e.g. "claude-code".</param>
/// <param name="Model">The model the adapter should ask for, if configured.</param>
/// <param name="Repository">"owner/repo".</param>
/// <param name="CloneUrl">Where to clone from (https URL, or a local path in the demo).</param>
/// <param name="Credential">A short-lived token scoped to this one repository, or null when the clone URL needs none.
/// Never logged.</param>
/// <param name="BaseBranch">The branch to start from (the default branch).</param>
/// <param name="Branch">The branch to work on, <c>baton/&lt;number&gt;-&lt;slug&gt;</c>; reused (not reset) when it
/// already exists, so partial work survives a re-offer.</param>
/// <param name="Issue">The issue as untrusted data: adapters must wrap it, never treat it as instructions.</param>
/// <param name="Feedback">What the previous attempt got back (failing CI checks, review comments, a human's
/// answer), also untrusted; empty on a first attempt.</param>
/// <param name="Budget">Caps for this attempt.</param>
public sealed record AgentJob(
    string JobId,
    string LeaseToken,
    int Offer,
    string Role,
    string Agent,
    string? Model,
    string Repository,
    string CloneUrl,
    string? Credential,
    string BaseBranch,
    string Branch,
    IssueText Issue,
    IReadOnlyList<string> Feedback,
    AgentBudget Budget);

/// <summary>The issue's own words. Everything here came from whoever can write to the issue tracker.</summary>
public sealed record IssueText(int Number, string Title, string Body);

/// <param name="MaxIterations">The adapter's own loop cap (Claude Code --max-turns, Aider's reflection cap, ...).</param>
/// <param name="WallTimeSeconds">Hard wall-clock limit for the agent process.</param>
/// <param name="MaxTokens">Stop (and fail ResourceExhausted) past this many tokens, where the CLI reports them.</param>
/// <param name="MaxCostUsd">The same for reported cost.</param>
public sealed record AgentBudget(int MaxIterations, int WallTimeSeconds, long? MaxTokens = null, decimal? MaxCostUsd = null);

public sealed record JobHeartbeat(string LeaseToken);

/// <param name="Cancel">True when the job is no longer wanted (its issue was closed): stop the agent, clean up,
/// and report nothing.</param>
public sealed record HeartbeatReply(bool Cancel);

public sealed record JobLogLines(string LeaseToken, IReadOnlyList<string> Lines);

public sealed record JobReport(string LeaseToken, AgentOutcome Outcome);

[JsonConverter(typeof(JsonStringEnumConverter<AgentOutcomeKind>))]
public enum AgentOutcomeKind
{
    /// <summary>The agent made commits and the branch was pushed.</summary>
    Succeeded,
    /// <summary>The agent needs an answer from a person (<see cref="AgentOutcome.Question"/>).</summary>
    Blocked,
    /// <summary>The attempt failed; <see cref="AgentOutcome.FailureClass"/> says how (ARCHITECTURE.md §2.6).</summary>
    Failed,
}

/// <summary>What one agent attempt produced.</summary>
/// <param name="Kind">Succeeded, Blocked or Failed.</param>
/// <param name="HeadSha">The pushed head of <see cref="AgentJob.Branch"/> (also set on a failure that kept partial work).</param>
/// <param name="Commits">SHAs this attempt added, oldest first.</param>
/// <param name="Summary">The agent's own summary of what it did (for the PR body), or of why it failed.</param>
/// <param name="Question">For Blocked: what it needs to know.</param>
/// <param name="FailureClass">For Failed: RateLimited, AuthFailed, Timeout, ResourceExhausted, Transient or Permanent.</param>
/// <param name="Verdict">For review jobs: "approve" or "changes_requested".</param>
/// <param name="Usage">What the attempt used, as far as the CLI reports it.</param>
public sealed record AgentOutcome(
    AgentOutcomeKind Kind,
    string? HeadSha = null,
    IReadOnlyList<string>? Commits = null,
    string? Summary = null,
    string? Question = null,
    string? FailureClass = null,
    string? Verdict = null,
    AgentUsage? Usage = null);

public sealed record AgentUsage(int Iterations, double WallSeconds, long? Tokens = null, decimal? CostUsd = null);

/// <summary>A job as the host lists it.</summary>
/// <param name="State">"queued" (no runner holds it) or "running".</param>
public sealed record JobSummary(string JobId, string Repository, int IssueNumber, string Role, string Agent, string State,
    int Offer, string? RunnerId, DateTime? LeaseExpiresAt);
