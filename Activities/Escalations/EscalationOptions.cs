using Baton.Orchestrations.Escalations;

namespace Baton.Activities.Escalations;

/// <summary>
/// How escalations follow up, bound from the <c>Escalation</c> section: <c>Escalation__ReminderEvery</c>,
/// <c>Escalation__FinalTimeout</c>, <c>Escalation__Ladder__N__Name/After/Mentions__M</c>, and per kind
/// <c>Escalation__Kinds__{kind}__ReminderEvery/FinalTimeout/Default</c> (kinds: question, gate, ci-red, …; see
/// <see cref="EscalationRequest.Kind"/>). <c>Escalation__Mentions__N</c> are pinged on the first message.
/// </summary>
public sealed class EscalationOptions
{
    public const string SectionName = "Escalation";

    public TimeSpan ReminderEvery { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan FinalTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Discord <c>role:{id}</c> / <c>user:{id}</c> pinged when an escalation opens.</summary>
    public List<string> Mentions { get; set; } = [];

    public List<EscalationRungOptions> Ladder { get; set; } = [];

    public Dictionary<string, EscalationKindOptions> Kinds { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The plan for one kind. Settings that make no sense are corrected rather than trusted: an interval under a
    /// second becomes a second, a default that the kind cannot take becomes <see cref="EscalationActions.Stop"/>.</summary>
    public EscalationPlan PlanFor(string kind)
    {
        var forKind = Kinds.GetValueOrDefault(kind);
        var every = forKind?.ReminderEvery ?? ReminderEvery;
        var timeout = forKind?.FinalTimeout ?? FinalTimeout;
        var fallback = forKind?.Default?.Trim().ToLowerInvariant() ?? EscalationActions.Stop;
        var defaultAction = fallback == EscalationActions.Reject && kind == "gate" ? EscalationActions.Reject : EscalationActions.Stop;
        var ladder = Ladder.Where(r => r.After > TimeSpan.Zero && r.Mentions.Count > 0)
            .Select((r, i) => new EscalationRung(string.IsNullOrWhiteSpace(r.Name) ? $"rung {i + 1}" : r.Name, r.After, r.Mentions))
            .ToList();
        return new EscalationPlan(Max(every, TimeSpan.FromSeconds(1)), Max(timeout, TimeSpan.FromSeconds(1)), defaultAction, ladder);
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}

public sealed class EscalationRungOptions
{
    public string? Name { get; set; }
    public TimeSpan After { get; set; }
    public List<string> Mentions { get; set; } = [];
}

public sealed class EscalationKindOptions
{
    public TimeSpan? ReminderEvery { get; set; }
    public TimeSpan? FinalTimeout { get; set; }

    /// <summary>What the final timeout does: <c>stop</c> (default: the issue stays <c>needs-human</c>) or, for a gate,
    /// <c>reject</c> (the pull request is closed).</summary>
    public string? Default { get; set; }
}
