using Baton.Activities.Agents;
using Baton.Runner.Protocol;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>
/// One agent job, from queued to its outcome (ARCHITECTURE.md §2.3). Runners never touch storage: the broker
/// (<see cref="AgentJobs"/>) reads this instance's custom status (<see cref="AgentJobState"/>) and raises
/// <see cref="AgentJobEvents"/> on it — a claim, heartbeats, the result — and this orchestration alone decides. A
/// running job whose lease lapses (no heartbeat in time) is queued again for the next runner, at most
/// <see cref="AgentJobInput.MaxOffers"/> times, then reported as a StaleWorker failure. The outcome is sent to
/// <see cref="AgentJobInput.ReplyTo"/> as the event <see cref="AgentJobEvents.OutcomeOf"/>(job id). A cancel ends it
/// with nothing sent. Events carrying another lease token than the current one are ignored, so a stale runner changes
/// nothing. Works on any Durable Task backend: only events, timers and the custom status are used.
/// </summary>
public sealed class AgentJobOrchestration : TaskOrchestrator<AgentJobInput, AgentOutcome?>
{
    /// <summary>Events handled per execution before it continues as new with its state, keeping history bounded
    /// (a long job heartbeats every quarter lease).</summary>
    public const int EventsPerExecution = 100;

    public override async Task<AgentOutcome?> RunAsync(TaskOrchestrationContext context, AgentJobInput input)
    {
        var state = input.State ?? AgentJobState.Queued(0);
        for (var handled = 0; handled < EventsPerExecution; handled++)
        {
            context.SetCustomStatus(state);
            var step = await NextAsync(context, input, state);
            if (step.Outcome is { } outcome)
            {
                context.SetCustomStatus(step.State);
                context.SendEvent(input.ReplyTo, AgentJobEvents.OutcomeOf(context.InstanceId), outcome);
                return outcome;
            }
            if (step.Ended)
            {
                context.SetCustomStatus(step.State);
                return null;
            }
            state = step.State;
        }
        context.SetCustomStatus(state);
        context.ContinueAsNew(input with { State = state });
        return null;
    }

    /// <summary>Waits for the next event (or the lease to lapse) and applies it.</summary>
    static async Task<AgentJobStep> NextAsync(TaskOrchestrationContext context, AgentJobInput input, AgentJobState state)
    {
        // Every event is listened for in every state, so none is buffered for a later state (a claim from a runner that
        // gave up long ago must not take the job when it is queued again).
        using var stop = new CancellationTokenSource();
        var claim = context.WaitForExternalEvent<JobClaim>(AgentJobEvents.Claim, stop.Token);
        var heartbeat = context.WaitForExternalEvent<JobLease>(AgentJobEvents.Heartbeat, stop.Token);
        var result = context.WaitForExternalEvent<JobResult>(AgentJobEvents.Result, stop.Token);
        var cancel = context.WaitForExternalEvent<string?>(AgentJobEvents.Cancel, stop.Token);
        List<Task> waits = [claim, heartbeat, result, cancel];
        var lapse = state.LeaseExpiresAt is { } expiry ? context.CreateTimer(expiry, stop.Token) : null;
        if (lapse is not null) waits.Add(lapse);
        Task first;
        try
        {
            first = await Task.WhenAny(waits);
        }
        finally
        {
            // A timer left pending would keep the orchestration open until it fires.
            stop.Cancel();
        }

        var now = context.CurrentUtcDateTime;
        if (first == claim) return new(AgentJobRules.Claimed(state, await claim, now, input.Lease));
        if (first == heartbeat) return new(AgentJobRules.Renewed(state, await heartbeat, now, input.Lease));
        if (first == result) return AgentJobRules.Reported(state, await result);
        if (first == cancel) return new(state with { Stage = AgentJobState.Cancelled }, Ended: true);
        return AgentJobRules.Lapsed(state, input.MaxOffers);
    }
}

/// <summary>The job's state transitions (pure).</summary>
public static class AgentJobRules
{
    /// <summary>A queued job goes to the first runner whose claim is still fresh; any other claim changes nothing.</summary>
    public static AgentJobState Claimed(AgentJobState state, JobClaim claim, DateTime now, TimeSpan lease) =>
        state.Stage == AgentJobState.QueuedStage && now <= claim.OfferedUntil
            ? new AgentJobState(AgentJobState.Running, state.Offers + 1, claim.RunnerId, claim.LeaseToken, now + lease)
            : state;

    /// <summary>The holder's heartbeat extends its lease; anyone else's is ignored.</summary>
    public static AgentJobState Renewed(AgentJobState state, JobLease heartbeat, DateTime now, TimeSpan lease) =>
        Holds(state, heartbeat.LeaseToken) ? state with { LeaseExpiresAt = now + lease } : state;

    /// <summary>The holder's result ends the job; anyone else's is ignored.</summary>
    public static AgentJobStep Reported(AgentJobState state, JobResult result) =>
        Holds(state, result.LeaseToken)
            ? new AgentJobStep(state with { Stage = AgentJobState.Finished, LeaseExpiresAt = null }, result.Outcome)
            : new AgentJobStep(state);

    /// <summary>No heartbeat within the lease: offered again, or, after <paramref name="maxOffers"/> offers, a StaleWorker
    /// failure (final: it has been re-offered as often as allowed).</summary>
    public static AgentJobStep Lapsed(AgentJobState state, int maxOffers) =>
        state.Offers >= maxOffers
            ? new AgentJobStep(state with { Stage = AgentJobState.Finished, LeaseExpiresAt = null }, new AgentOutcome(AgentOutcomeKind.Failed,
                Summary: $"The job was offered to {state.Offers} runners and each stopped sending heartbeats.",
                FailureClass: nameof(Failures.FailureClass.StaleWorker)))
            : new AgentJobStep(AgentJobState.Queued(state.Offers));

    static bool Holds(AgentJobState state, string? leaseToken) =>
        state.Stage == AgentJobState.Running && leaseToken is not null && leaseToken == state.LeaseToken;
}

/// <summary>An <see cref="AgentJobOrchestration"/>'s input, fixed by <see cref="QueueAgentJob"/> (which reads the
/// limits from configuration, so they are recorded).</summary>
/// <param name="Request">What the runner is to do.</param>
/// <param name="ReplyTo">The instance that gets the outcome.</param>
/// <param name="Lease">How long a runner holds the job without a heartbeat.</param>
/// <param name="MaxOffers">How many runners may go stale on it before it fails as StaleWorker.</param>
/// <param name="State">Carried over a continue-as-new; null at the start.</param>
public sealed record AgentJobInput(AgentJobRequest Request, string ReplyTo, TimeSpan Lease, int MaxOffers, AgentJobState? State = null);

/// <summary>A job's state, shown as its custom status (which the broker reads).</summary>
/// <param name="Stage">queued, running, finished or cancelled.</param>
/// <param name="Offers">How many runners have been given it so far.</param>
/// <param name="RunnerId">Who holds it (running), or held it last.</param>
/// <param name="LeaseToken">The holder's token; every runner call must carry it.</param>
/// <param name="LeaseExpiresAt">When the job is offered again without a heartbeat (running only).</param>
public sealed record AgentJobState(string Stage, int Offers, string? RunnerId = null, string? LeaseToken = null, DateTime? LeaseExpiresAt = null)
{
    public const string QueuedStage = "queued";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Cancelled = "cancelled";

    public static AgentJobState Queued(int offers) => new(QueuedStage, offers);
}

/// <summary>What one event did: the next state, and the outcome when it ends the job.</summary>
public sealed record AgentJobStep(AgentJobState State, AgentOutcome? Outcome = null, bool Ended = false);

/// <summary>A runner asks for a queued job; only honoured up to <paramref name="OfferedUntil"/> (after that the broker
/// has stopped waiting for it, and the runner has moved on).</summary>
public sealed record JobClaim(string RunnerId, string LeaseToken, DateTime OfferedUntil);

/// <summary>A heartbeat from the runner holding <paramref name="LeaseToken"/>.</summary>
public sealed record JobLease(string LeaseToken);

/// <summary>A runner's report.</summary>
public sealed record JobResult(string LeaseToken, AgentOutcome Outcome);

/// <summary>The events of <see cref="AgentJobOrchestration"/>, and the one it sends back.</summary>
public static class AgentJobEvents
{
    public const string Claim = "claim";
    public const string Heartbeat = "heartbeat";
    public const string Result = "result";
    public const string Cancel = "cancel";

    /// <summary>Job instance ids start with this (the broker lists them by it).</summary>
    public const string JobIdPrefix = "job:";

    /// <summary>The event carrying job <paramref name="jobId"/>'s <see cref="AgentOutcome"/> to the instance that queued it.</summary>
    public static string OutcomeOf(string jobId) => "AgentJobOutcome:" + jobId;
}
