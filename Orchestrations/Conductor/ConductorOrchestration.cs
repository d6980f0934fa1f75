using Baton.Activities.Conductor;
using Baton.Activities.Notifications;
using Microsoft.DurableTask;

namespace Baton.Orchestrations.Conductor;

/// <summary>
/// The queue of approved issues, one per Baton (instance <c>conductor</c>): one planner over every managed
/// repository, so global capacity, priority interrupts and cross-repository blockers need no coordination.
/// Each round reads the board, applies the planner's labels, reports cycles and starts an
/// <see cref="IssueOrchestration"/> per issue to start; then it sleeps until a webhook wakes it or the sweep
/// is due, and continues as new (its history stays one round long). Wakes sent before the round's board read
/// started are already answered by it and are skipped, also those carried over from the previous round, so a burst
/// of deliveries (Baton's own label changes among them) costs a few rounds, not one each.
/// </summary>
public sealed class ConductorOrchestration : TaskOrchestrator<ConductorRound, ConductorRound>
{
    public override async Task<ConductorRound> RunAsync(TaskOrchestrationContext context, ConductorRound round)
    {
        var boardReadAt = context.CurrentUtcDateTime;
        var board = await context.CallActivityAsync<BoardReading>(nameof(ReadBoard), options: RetryPolicies.GitHub);
        var plan = BoardPlanner.Plan(ConductorRules.Snapshot(board));

        if (plan.LabelChanges.Count > 0)
            await context.CallActivityAsync<int>(nameof(ApplyLabelChanges), plan.LabelChanges, RetryPolicies.GitHub);
        foreach (var cycle in plan.Cycles)
            await context.CallActivityAsync<int>(nameof(ReportCycle), cycle, RetryPolicies.GitHub);
        foreach (var issue in plan.Start)
            await context.CallActivityAsync<bool>(nameof(StartIssueWork), issue, RetryPolicies.Engine);

        var milestones = ConductorRules.Milestones(round.Milestones, board);
        if (milestones.Count > 0)
        {
            var completed = await context.CallActivityAsync<IReadOnlyList<CompletedMilestone>>(
                nameof(CloseCompletedMilestones), milestones, RetryPolicies.GitHub);
            foreach (var done in completed)
                await context.CallActivityAsync(nameof(SendNotification), new Notification("milestone-complete",
                    $"Milestone \"{done.Title}\" is complete", $"all {done.ClosedIssues} issues in {done.Milestone.Repository} are closed"));
            milestones = milestones.Except(completed.Select(c => c.Milestone)).ToList();
        }

        var status = new ConductorStatus(round.Number, board.Running.Count + plan.Start.Count, plan.Start, plan.Waiting, plan.Cycles);
        context.SetCustomStatus(status);

        var reason = await SleepUntilWokenOrSweepAsync(context, ConductorRules.NextSweep(board.SweepSchedule, context.CurrentUtcDateTime),
            boardReadAt);
        var next = new ConductorRound(round.Number + 1, reason) { Milestones = milestones };
        context.ContinueAsNew(next);
        return next;
    }

    static async Task<string> SleepUntilWokenOrSweepAsync(TaskOrchestrationContext context, DateTime sweepAt, DateTime boardReadAt)
    {
        using var cancel = new CancellationTokenSource();
        var sweep = context.CreateTimer(sweepAt, cancel.Token);
        // Bounded by the sweep timer: each pass consumes one wake the round's board read already answered, and the
        // round ends at the sweep at the latest, then continues as new.
#pragma warning disable DURABLE0011
        while (true)
#pragma warning restore DURABLE0011
        {
            var wake = context.WaitForExternalEvent<ConductorWake>(ConductorEvents.Wake, cancel.Token);
            if (await Task.WhenAny(wake, sweep) == sweep)
            {
                cancel.Cancel();
                return "sweep";
            }
            var woken = await wake;
            if (ConductorRules.IsCoveredBy(woken, boardReadAt)) continue;
            cancel.Cancel();
            return woken.Reason;
        }
    }
}

/// <summary>The conductor's input: which round this is and what woke it.</summary>
public sealed record ConductorRound(int Number, string Reason)
{
    /// <summary>Open milestones seen on the board, checked for completion every round.</summary>
    public IReadOnlyList<MilestoneRef> Milestones { get; init; } = [];

    public static readonly ConductorRound First = new(1, "start-up");
}

/// <summary>What the status API shows about the queue after a round.</summary>
public sealed record ConductorStatus(
    int Round,
    int Running,
    IReadOnlyList<IssueRef> Started,
    IReadOnlyList<WaitingIssue> Waiting,
    IReadOnlyList<DependencyCycle> Cycles);
