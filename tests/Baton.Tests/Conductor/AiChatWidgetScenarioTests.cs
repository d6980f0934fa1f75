using Baton.Orchestrations.Conductor;
using static Baton.Tests.Conductor.BoardBuilders;

namespace Baton.Tests.Conductor;

/// <summary>
/// Seed 003's "AI Chat Widget" milestone walked round by round: #1 LLM tool API and #2 Chat UI run in parallel,
/// #3 Connect UI to API starts after both, #4 Analytics after #3, and a critical bug interrupts on the way.
/// Between rounds the test plays the conductor: it applies each plan and finishes work the way agents would.
/// </summary>
public sealed class AiChatWidgetScenarioTests
{
    [Fact]
    public void Plan_AiChatWidgetMilestone_RunsInDependencyAndPriorityOrder()
    {
        var board = new SimulatedBoard(capacity: 2,
            Issue(1).Approved(minute: 0),
            Issue(2).Approved(minute: 1),
            Issue(3).Approved(minute: 2).BlockedBy(1, 2),
            Issue(4).Approved(minute: 3).BlockedBy(3),
            Issue(6).Approved(minute: 4));

        // Round 1: the two independent halves start side by side; #3 and #4 get `blocked`; #6 waits for a slot.
        var round1 = board.PlanAndApply();
        Assert.Equal([1, 2], round1.Start.Numbers());
        Assert.Equal([Blocked(3), Blocked(4)], round1.LabelChanges);
        Assert.Equal(WaitReason.NoFreeSlot, round1.WaitReasonOf(6));

        // Round 2: #1 merged, #2 still running. #3 waits on #2, so the free slot goes to #6.
        board.Finish(1);
        var round2 = board.PlanAndApply();
        Assert.Equal([6], round2.Start.Numbers());
        Assert.Equal([Ref(2)], round2.Waiting.Single(w => w.Issue == Ref(3)).OpenBlockers);

        // Round 3: #2 merged: #3 is unblocked and takes the free slot.
        board.Finish(2);
        var round3 = board.PlanAndApply();
        Assert.Equal([Unblocked(3)], round3.LabelChanges);
        Assert.Equal([3], round3.Start.Numbers());

        // Round 4: a critical bug (#5) is approved while #3 and #6 hold both slots. Nobody is preempted ...
        board.Add(Issue(5).Approved(minute: 60).WithLabels(BoardLabels.Critical));
        var round4 = board.PlanAndApply();
        Assert.Empty(round4.Start);
        Assert.Equal(WaitReason.NoFreeSlot, round4.WaitReasonOf(5));

        // ... and when #6 is merged the critical bug takes the slot ahead of the older work in line.
        board.Add(Issue(7).Approved(minute: 5));
        board.Finish(6);
        var round5 = board.PlanAndApply();
        Assert.Equal([5], round5.Start.Numbers());
        Assert.Equal(WaitReason.NoFreeSlot, round5.WaitReasonOf(7));

        // Round 6: #3 merged: #4 is unblocked and, approved before #7, goes first.
        board.Finish(3);
        var round6 = board.PlanAndApply();
        Assert.Equal([Unblocked(4)], round6.LabelChanges);
        Assert.Equal([4], round6.Start.Numbers());

        // Round 7: the bug is fixed; the last issue starts and the board drains.
        board.Finish(5);
        Assert.Equal([7], board.PlanAndApply().Start.Numbers());
        board.Finish(4);
        board.Finish(7);
        var last = board.PlanAndApply();
        Assert.Empty(last.Start);
        Assert.Empty(last.Waiting);
        Assert.Empty(last.LabelChanges);
    }

    private static LabelChange Blocked(int number) => new(Ref(number), LabelAction.Add, BoardLabels.Blocked);

    private static LabelChange Unblocked(int number) => new(Ref(number), LabelAction.Remove, BoardLabels.Blocked);

    /// <summary>The conductor's side of the loop, in memory: applies plans and finishes work.</summary>
    private sealed class SimulatedBoard(int capacity, params IssueSnapshot[] issues)
    {
        private readonly Dictionary<IssueRef, IssueSnapshot> issues = issues.ToDictionary(i => i.Issue);
        private readonly HashSet<IssueRef> running = [];

        public void Add(IssueSnapshot issue) => issues.Add(issue.Issue, issue);

        public Plan PlanAndApply()
        {
            var plan = BoardPlanner.Plan(new BoardSnapshot([.. issues.Values], Capacity.Of(capacity), [.. running]));
            foreach (var change in plan.LabelChanges)
                Relabel(change.Issue, change.Action == LabelAction.Add ? [change.Label] : [], change.Action == LabelAction.Remove ? change.Label : null);
            foreach (var started in plan.Start)
            {
                running.Add(started);
                Relabel(started, [BoardLabels.InProgress], null);
            }
            return plan;
        }

        /// <summary>The agent's pull request is merged: the issue is done and closed, and its slot is free.</summary>
        public void Finish(int number)
        {
            var issue = Ref(number);
            Assert.True(running.Remove(issue), $"{issue} was not running");
            Relabel(issue, [BoardLabels.Done], BoardLabels.InProgress);
            issues[issue] = issues[issue].Closed();
        }

        private void Relabel(IssueRef issue, string[] add, string? remove)
        {
            var labels = issues[issue].Labels.Where(l => l != remove).Concat(add);
            issues[issue] = issues[issue] with { Labels = new HashSet<string>(labels, StringComparer.OrdinalIgnoreCase) };
        }
    }
}
