namespace Baton.Orchestrations.Conductor;

/// <summary>What the conductor should do next, decided by <see cref="BoardPlanner.Plan"/>.</summary>
/// <param name="Start">Issues to start now, highest priority first.</param>
/// <param name="LabelChanges">Label edits that bring <c>blocked</c> in line with the blockers, ordered by issue.</param>
/// <param name="Cycles">Dependency cycles among open issues, each reported once.</param>
/// <param name="Waiting">Approved issues that could not start, in queue order, each with the reason.</param>
public sealed record Plan(
    IReadOnlyList<IssueRef> Start,
    IReadOnlyList<LabelChange> LabelChanges,
    IReadOnlyList<DependencyCycle> Cycles,
    IReadOnlyList<WaitingIssue> Waiting);

/// <summary>Add or remove a label.</summary>
public enum LabelAction
{
    Add,
    Remove,
}

/// <summary>One label edit on one issue.</summary>
public sealed record LabelChange(IssueRef Issue, LabelAction Action, string Label);

/// <summary>
/// Open issues that block each other in a loop, so none of them can ever start until a person breaks it.
/// </summary>
/// <remarks>
/// This is a strongly connected group of the blocked-by graph (or one issue that blocks itself): several
/// overlapping loops through the same issues are one report, which is what a person has to untangle.
/// </remarks>
/// <param name="Issues">The issues in the loop, in <see cref="IssueRef"/> order.</param>
public sealed record DependencyCycle(IReadOnlyList<IssueRef> Issues);

/// <summary>Why an approved issue is not starting.</summary>
public enum WaitReason
{
    /// <summary>At least one blocker is still open (a failed issue stays open, so its dependents wait here).</summary>
    BlockedByOpenIssue,

    /// <summary>The issue is part of a dependency cycle; see <see cref="Plan.Cycles"/>.</summary>
    InDependencyCycle,

    /// <summary>Every agent slot is taken.</summary>
    NoFreeSlot,

    /// <summary>The issue's repository has used its own limit.</summary>
    RepositoryAtCapacity,
}

/// <summary>An approved issue that is not starting in this plan.</summary>
/// <param name="OpenBlockers">The blockers still open, in the order the snapshot lists them (empty when waiting for a slot).</param>
public sealed record WaitingIssue(IssueRef Issue, WaitReason Reason, IReadOnlyList<IssueRef> OpenBlockers)
{
    /// <summary>The priority label that placed it in line (<c>critical</c>, <c>high-priority</c>), or null for normal.</summary>
    public string? Priority { get; init; }

    /// <summary>When it was approved, the tie-break within a priority (null: unknown, sorted last).</summary>
    public DateTimeOffset? ApprovedAt { get; init; }
}
