using System.Collections.Frozen;

namespace Baton.Orchestrations.Conductor;

/// <summary>
/// The snapshot turned into arrays the planner can walk quickly: each issue gets an index, its labels become
/// flags, and its open blockers become edges. Built once per plan, in time linear in issues plus blockers.
/// </summary>
internal sealed class BlockerGraph
{
    private BlockerGraph(IssueSnapshot[] issues, IssueLabels[] labels, IssueRef[][] openBlockers, int[] edgeStart, int[] edgeTarget)
    {
        Issues = issues;
        Labels = labels;
        OpenBlockers = openBlockers;
        EdgeStart = edgeStart;
        EdgeTarget = edgeTarget;
    }

    public IssueSnapshot[] Issues { get; }

    public IssueLabels[] Labels { get; }

    /// <summary>Per issue, its blockers that are still open (or unknown), once each, in the order the snapshot lists them; empty for a closed issue.</summary>
    public IssueRef[][] OpenBlockers { get; }

    /// <summary>
    /// Edges from an open issue to each open blocker in the snapshot, in compressed form: the edges of issue
    /// <c>i</c> are <c>EdgeTarget[EdgeStart[i] .. EdgeStart[i + 1]]</c>.
    /// </summary>
    public int[] EdgeStart { get; }

    public int[] EdgeTarget { get; }

    public int Count => Issues.Length;

    public bool IsOpen(int issue) => Issues[issue].State == IssueState.Open;

    public static BlockerGraph Build(IReadOnlyList<IssueSnapshot> snapshot)
    {
        var issues = snapshot.ToArray();
        var indexOf = new Dictionary<IssueRef, int>(issues.Length);
        for (var i = 0; i < issues.Length; i++)
        {
            if (!indexOf.TryAdd(issues[i].Issue, i))
                throw new ArgumentException($"Issue {issues[i].Issue} appears twice in the snapshot.", nameof(snapshot));
        }

        var labels = new IssueLabels[issues.Length];
        var openBlockers = new IssueRef[issues.Length][];
        var edgeStart = new int[issues.Length + 1];
        var edgeTarget = new List<int>(issues.Length * 4);
        var lastListedFor = new int[issues.Length];    // dedupes blockers: the issue that last listed each one
        Array.Fill(lastListedFor, -1);
        var scratch = new List<IssueRef>();
        for (var i = 0; i < issues.Length; i++)
        {
            edgeStart[i] = edgeTarget.Count;
            labels[i] = IssueLabelsOf(issues[i].Labels);
            openBlockers[i] = [];
            if (issues[i].State != IssueState.Open) continue;

            scratch.Clear();
            foreach (var blocker in issues[i].BlockedBy)
            {
                if (!indexOf.TryGetValue(blocker, out var b))
                {
                    if (!scratch.Contains(blocker)) scratch.Add(blocker);
                }
                else if (issues[b].State == IssueState.Open && lastListedFor[b] != i)
                {
                    lastListedFor[b] = i;
                    scratch.Add(blocker);
                    edgeTarget.Add(b);
                }
            }
            if (scratch.Count > 0) openBlockers[i] = scratch.ToArray();
        }
        edgeStart[issues.Length] = edgeTarget.Count;
        return new BlockerGraph(issues, labels, openBlockers, edgeStart, edgeTarget.ToArray());
    }

    private static readonly FrozenDictionary<string, IssueLabels> LabelFlags = new Dictionary<string, IssueLabels>
    {
        [BoardLabels.Approved] = IssueLabels.Approved,
        [BoardLabels.Blocked] = IssueLabels.Blocked,
        [BoardLabels.InProgress] = IssueLabels.InProgress,
        [BoardLabels.InReview] = IssueLabels.InReview,
        [BoardLabels.Done] = IssueLabels.Done,
        [BoardLabels.Critical] = IssueLabels.Critical,
        [BoardLabels.HighPriority] = IssueLabels.HighPriority,
        [BoardLabels.NeedsHuman] = IssueLabels.NeedsHuman,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static IssueLabels IssueLabelsOf(IReadOnlySet<string> names)
    {
        var labels = IssueLabels.None;
        foreach (var name in names) labels |= LabelFlags.GetValueOrDefault(name);
        return labels;
    }
}

/// <summary>The board labels an issue carries, as flags (other labels are ignored).</summary>
[Flags]
internal enum IssueLabels
{
    None = 0,
    Approved = 1 << 0,
    Blocked = 1 << 1,
    InProgress = 1 << 2,
    InReview = 1 << 3,
    Done = 1 << 4,
    Critical = 1 << 5,
    HighPriority = 1 << 6,
    NeedsHuman = 1 << 7,

    /// <summary>Work has already begun (or finished, or waits for a person): the issue is past the queue.</summary>
    PastTheQueue = InProgress | InReview | Done | NeedsHuman,
}
