using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Voice;

namespace Baton.Functions.Dashboard;

/// <summary>Everything one dashboard page shows, read at one moment (<see cref="DashboardReader"/>).</summary>
/// <param name="Queue">The conductor's last plan, or null while it plans a round (or is not running).</param>
/// <param name="ConductorRound">The round the conductor is in, or null when it is not running.</param>
/// <param name="Issues">Issues being worked on, with the pipeline stage each is at.</param>
/// <param name="Jobs">Agent jobs queued or running, with their last log lines.</param>
/// <param name="Decisions">Escalations waiting for a person, oldest first.</param>
/// <param name="Failures">Failures of the last day, by class.</param>
/// <param name="Runners">Runners holding jobs, with their last heartbeat.</param>
/// <param name="Milestones">Open milestones of the managed repositories, with progress.</param>
/// <param name="Voice">Spoken requests of the last day, newest first.</param>
public sealed record DashboardView(
    QueueView? Queue,
    int? ConductorRound,
    IReadOnlyList<IssueView> Issues,
    IReadOnlyList<JobView> Jobs,
    IReadOnlyList<DecisionView> Decisions,
    IReadOnlyList<FailureClassView> Failures,
    IReadOnlyList<RunnerView> Runners,
    IReadOnlyList<MilestoneView> Milestones,
    IReadOnlyList<VoiceRequestView> Voice,
    DateTime ReadAt);

/// <summary>The queue after the conductor's last round: who started and who waits, in queue order, and why.</summary>
public sealed record QueueView(int Round, int Running, IReadOnlyList<IssueRef> Started, IReadOnlyList<WaitingIssue> Waiting,
    IReadOnlyList<DependencyCycle> Cycles);

/// <summary>An issue's pipeline, as its orchestration shows it.</summary>
public sealed record IssueView(IssueRef Issue, string Stage, string Agent, int? PullRequest, int AgentAttempts, int ReviewRounds);

/// <summary>An agent job and the last lines its runner streamed (this host's copy).</summary>
public sealed record JobView(string JobId, IssueRef Issue, string Role, string Agent, string State, int Offer, string? RunnerId,
    DateTime? LeaseExpiresAt, IReadOnlyList<string> LastLines);

/// <summary>An open escalation; <paramref name="MayDecide"/> is whether the viewer gets its forms.</summary>
public sealed record DecisionView(string Key, EscalationStatus Status, bool MayDecide);

/// <summary>Failures of one class, newest first.</summary>
public sealed record FailureClassView(string Class, IReadOnlyList<FailureView> Recent, int Count);

/// <summary>One failure: what failed, about which issue, and when.</summary>
public sealed record FailureView(string InstanceId, IssueRef? Issue, string Summary, DateTime At);

/// <summary>A runner seen through the jobs it holds (runners that hold none are not listed: the host keeps no
/// registry of idle runners). Its last heartbeat is when its newest lease was renewed.</summary>
public sealed record RunnerView(string RunnerId, string Name, IReadOnlyList<string> Agents, IReadOnlyList<string> Jobs, DateTime? LastHeartbeat,
    DateTime? LeaseExpiresAt);

/// <summary>A milestone's progress, or why it could not be read.</summary>
public sealed record MilestoneView(MilestoneRef Milestone, string? Title, int Open, int Closed, string? Error)
{
    public int Percent => Open + Closed == 0 ? 0 : (int)Math.Round(100.0 * Closed / (Open + Closed));
}

/// <summary>A spoken request as its orchestration shows it: where it is, what was heard, and what it became.</summary>
public sealed record VoiceRequestView(string Id, string SubmittedBy, DateTime At, VoiceStatus Status);
