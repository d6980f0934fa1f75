namespace Baton.Orchestrations.Conductor;

/// <summary>Whether a GitHub issue is open or closed.</summary>
public enum IssueState
{
    Open,
    Closed,
}

/// <summary>What the planner needs to know about one issue, as read from GitHub.</summary>
/// <param name="Issue">Which issue.</param>
/// <param name="State">Open or closed. A closed issue is never started and never blocks anything.</param>
/// <param name="Labels">The issue's labels; compared case-insensitively, as GitHub does.</param>
/// <param name="ApprovedAt">
/// When the <c>approved</c> label was added (from the webhook event, or the issue's timeline on reconcile), not
/// when the issue was created. Ties in priority go to the oldest approval; an unknown time sorts last.
/// </param>
/// <param name="Milestone">The milestone title, if any. Carried for milestone bookkeeping; the queue ignores it.</param>
/// <param name="BlockedBy">
/// GitHub's native "blocked by" relationships, possibly in other repositories. Each blocker's state is looked up
/// in the same snapshot; a blocker the snapshot does not contain counts as open, because starting work before
/// its dependency is finished is the worse mistake.
/// </param>
public sealed record IssueSnapshot(
    IssueRef Issue,
    IssueState State,
    IReadOnlySet<string> Labels,
    DateTimeOffset? ApprovedAt,
    string? Milestone,
    IReadOnlyList<IssueRef> BlockedBy);

/// <summary>How many agents may work at once.</summary>
/// <param name="Global">All repositories together (<c>Conductor__Capacity</c>).</param>
/// <param name="PerRepository">
/// Optional tighter limits keyed by <c>owner/repo</c> (case-insensitive). A repository without an entry is
/// limited only by <paramref name="Global"/>.
/// </param>
public sealed record Capacity(int Global, IReadOnlyDictionary<string, int> PerRepository)
{
    /// <summary>A global limit with no per-repository limits.</summary>
    public static Capacity Of(int global) => new(global, new Dictionary<string, int>());
}

/// <summary>Everything the planner decides from: the issues, the slots, and the work already running.</summary>
/// <param name="Issues">Every issue of the managed repositories worth considering, plus the blockers they refer to.</param>
/// <param name="Capacity">The agent slots.</param>
/// <param name="Running">Issues an agent is working on now. Each holds a slot and is never preempted.</param>
public sealed record BoardSnapshot(
    IReadOnlyList<IssueSnapshot> Issues,
    Capacity Capacity,
    IReadOnlyCollection<IssueRef> Running);
