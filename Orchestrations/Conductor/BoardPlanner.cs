namespace Baton.Orchestrations.Conductor;

/// <summary>
/// The queue rules of ARCHITECTURE.md §2.1 as one pure function: given the board, decide which approved issues
/// start now, how the <c>blocked</c> label must change, which dependency cycles exist and why the rest wait.
/// </summary>
/// <remarks>
/// No I/O and no clock: everything, including approval times, comes in the snapshot, so the conductor can call
/// it from an orchestrator and replay gives the same plan. The conductor re-plans on every webhook and sweep;
/// a plan never stops running work, it only fills free slots.
/// </remarks>
public static class BoardPlanner
{
    public static Plan Plan(BoardSnapshot board)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(board.Capacity.Global, nameof(board.Capacity.Global));

        var graph = BlockerGraph.Build(board.Issues);
        var cycles = DependencyCycles.Find(graph, out var inCycle);
        var labelChanges = BlockedLabelChanges(graph);
        var running = new HashSet<IssueRef>(board.Running);
        var queue = QueueInPriorityOrder(graph, running);
        var (start, waiting) = FillFreeSlots(queue, graph, inCycle, board.Capacity, running);
        return new Plan(start, labelChanges, cycles, waiting);
    }

    /// <summary>
    /// <c>blocked</c> mirrors the blockers: added to an approved open issue with an open blocker, removed from an
    /// open issue whose last blocker closed. Closed issues are left alone.
    /// </summary>
    private static List<LabelChange> BlockedLabelChanges(BlockerGraph graph)
    {
        var changes = new List<LabelChange>();
        for (var i = 0; i < graph.Count; i++)
        {
            if (!graph.IsOpen(i)) continue;
            var labelled = graph.Labels[i].HasFlag(IssueLabels.Blocked);
            var hasOpenBlocker = graph.OpenBlockers[i].Length > 0;
            if (!labelled && hasOpenBlocker && graph.Labels[i].HasFlag(IssueLabels.Approved))
                changes.Add(new LabelChange(graph.Issues[i].Issue, LabelAction.Add, BoardLabels.Blocked));
            else if (labelled && !hasOpenBlocker)
                changes.Add(new LabelChange(graph.Issues[i].Issue, LabelAction.Remove, BoardLabels.Blocked));
        }
        changes.Sort((a, b) => a.Issue.CompareTo(b.Issue));
        return changes;
    }

    /// <summary>
    /// The approved open issues not yet begun, ordered critical, then high-priority, then normal; ties go to the
    /// oldest approval, then to <see cref="IssueRef"/> order so that equal inputs always give equal plans.
    /// Whether they are blocked is decided when slots are filled, so blocked issues keep their place in line.
    /// </summary>
    private static List<int> QueueInPriorityOrder(BlockerGraph graph, HashSet<IssueRef> running)
    {
        var queue = new List<int>();
        for (var i = 0; i < graph.Count; i++)
        {
            if (graph.IsOpen(i)
                && graph.Labels[i].HasFlag(IssueLabels.Approved)
                && (graph.Labels[i] & IssueLabels.PastTheQueue) == 0
                && !running.Contains(graph.Issues[i].Issue))
                queue.Add(i);
        }

        queue.Sort((a, b) =>
        {
            var byPriority = PriorityRank(graph.Labels[a]).CompareTo(PriorityRank(graph.Labels[b]));
            if (byPriority != 0) return byPriority;
            var byApproval = (graph.Issues[a].ApprovedAt ?? DateTimeOffset.MaxValue)
                .CompareTo(graph.Issues[b].ApprovedAt ?? DateTimeOffset.MaxValue);
            return byApproval != 0 ? byApproval : graph.Issues[a].Issue.CompareTo(graph.Issues[b].Issue);
        });
        return queue;
    }

    private static int PriorityRank(IssueLabels labels) =>
        labels.HasFlag(IssueLabels.Critical) ? 0 : labels.HasFlag(IssueLabels.HighPriority) ? 1 : 2;

    private static string? PriorityLabel(IssueLabels labels) =>
        labels.HasFlag(IssueLabels.Critical) ? BoardLabels.Critical : labels.HasFlag(IssueLabels.HighPriority) ? BoardLabels.HighPriority : null;

    /// <summary>
    /// Walks the queue in order and gives each unblocked issue a slot while its repository and the whole board
    /// have one. Running work keeps its slots. Because critical issues lead the queue, a critical issue takes
    /// the next free slot ahead of everything else: that is the priority interrupt, without preempting anyone.
    /// </summary>
    private static (List<IssueRef> Start, List<WaitingIssue> Waiting) FillFreeSlots(
        List<int> queue, BlockerGraph graph, bool[] inCycle, Capacity capacity, HashSet<IssueRef> running)
    {
        var repositoryLimits = new Dictionary<string, int>(capacity.PerRepository, StringComparer.OrdinalIgnoreCase);
        var busyInRepository = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var issue in running)
            busyInRepository[issue.Repository] = busyInRepository.GetValueOrDefault(issue.Repository) + 1;
        var freeSlots = Math.Max(0, capacity.Global - running.Count);

        var start = new List<IssueRef>();
        var waiting = new List<WaitingIssue>();
        foreach (var i in queue)
        {
            var issue = graph.Issues[i].Issue;
            var blockers = graph.OpenBlockers[i];
            WaitingIssue Waits(WaitReason reason, IReadOnlyList<IssueRef> openBlockers) =>
                new(issue, reason, openBlockers) { Priority = PriorityLabel(graph.Labels[i]), ApprovedAt = graph.Issues[i].ApprovedAt };
            if (inCycle[i])
                waiting.Add(Waits(WaitReason.InDependencyCycle, blockers));
            else if (blockers.Length > 0)
                waiting.Add(Waits(WaitReason.BlockedByOpenIssue, blockers));
            else if (freeSlots == 0)
                waiting.Add(Waits(WaitReason.NoFreeSlot, []));
            else if (repositoryLimits.TryGetValue(issue.Repository, out var limit)
                     && busyInRepository.GetValueOrDefault(issue.Repository) >= limit)
                waiting.Add(Waits(WaitReason.RepositoryAtCapacity, []));
            else
            {
                start.Add(issue);
                freeSlots--;
                busyInRepository[issue.Repository] = busyInRepository.GetValueOrDefault(issue.Repository) + 1;
            }
        }
        return (start, waiting);
    }
}
