namespace Baton.Orchestrations.Escalations;

/// <summary>How one escalation is followed up, read from configuration by the activity that opens it (an orchestrator never
/// reads configuration) and recorded in its history.</summary>
/// <param name="ReminderEvery">A reminder after each such interval without an answer.</param>
/// <param name="FinalTimeout">When nobody answered by then, <paramref name="DefaultAction"/> is taken.</param>
/// <param name="DefaultAction">What the timeout does (<see cref="EscalationActions.Stop"/>: leave it to people, marked
/// <c>needs-human</c>; <see cref="EscalationActions.Reject"/> for a gate: close the pull request).</param>
/// <param name="Ladder">Who else is pinged, and when, while nobody answers.</param>
public sealed record EscalationPlan(TimeSpan ReminderEvery, TimeSpan FinalTimeout, string DefaultAction, IReadOnlyList<EscalationRung> Ladder);

/// <summary>A rung of the ladder: <paramref name="After"/> the escalation opened, <paramref name="Mentions"/> are pinged.</summary>
/// <param name="Name">For people: "leads", "owner".</param>
/// <param name="Mentions"><c>role:{id}</c> or <c>user:{id}</c> (Discord).</param>
public sealed record EscalationRung(string Name, TimeSpan After, IReadOnlyList<string> Mentions);

/// <summary>What an escalation waits for next while nobody answers.</summary>
public enum EscalationWake { Reminder, Rung, Timeout }

/// <summary>The follow-up schedule (pure): reminders every <see cref="EscalationPlan.ReminderEvery"/>, the ladder's rungs at
/// their times, then the final timeout. Reminders and rungs due at or after the timeout are not sent.</summary>
public static class EscalationSchedule
{
    /// <param name="reminders">Reminders already sent.</param>
    /// <param name="rungs">Rungs already climbed (the ladder is climbed in order of <see cref="EscalationRung.After"/>).</param>
    public static (DateTime At, EscalationWake Wake) Next(EscalationPlan plan, DateTime openedAt, int reminders, int rungs)
    {
        var timeout = openedAt + plan.FinalTimeout;
        var next = (At: timeout, Wake: EscalationWake.Timeout);
        var reminder = openedAt + plan.ReminderEvery * (reminders + 1);
        if (reminder < next.At) next = (reminder, EscalationWake.Reminder);
        if (rungs < plan.Ladder.Count && openedAt + Ordered(plan)[rungs].After is var rung && rung <= next.At && rung < timeout)
            next = (rung, EscalationWake.Rung);
        return next;
    }

    /// <summary>The ladder in the order it is climbed.</summary>
    public static IReadOnlyList<EscalationRung> Ordered(EscalationPlan plan) => plan.Ladder.OrderBy(r => r.After).ToList();

    /// <summary>An upper bound on the wakes before the timeout, so the orchestrator's loop is visibly bounded.</summary>
    public static int MaxWakes(EscalationPlan plan) =>
        (int)Math.Min(10_000, plan.FinalTimeout / plan.ReminderEvery) + plan.Ladder.Count + 1;
}
