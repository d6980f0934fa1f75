using Baton.Orchestrations.Conductor;
using static Baton.Tests.Conductor.BoardBuilders;

namespace Baton.Tests.Conductor;

/// <summary>Blockers, the <c>blocked</c> label and dependency cycles (ARCHITECTURE.md §2.1).</summary>
public sealed class BoardPlannerBlockerTests
{
    [Fact]
    public void Plan_ApprovedIssueWithOpenBlocker_AddsBlockedAndWaits()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1), Issue(2).Approved().BlockedBy(1)));

        Assert.Equal([new LabelChange(Ref(2), LabelAction.Add, BoardLabels.Blocked)], plan.LabelChanges);
        Assert.Empty(plan.Start);
        var waiting = Assert.Single(plan.Waiting);
        Assert.Equal((Ref(2), WaitReason.BlockedByOpenIssue), (waiting.Issue, waiting.Reason));
        Assert.Equal([Ref(1)], waiting.OpenBlockers);
    }

    [Fact]
    public void Plan_LastBlockerClosed_RemovesBlockedAndStarts()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Closed(), Issue(2).Closed(),
            Issue(3).Approved().WithLabels(BoardLabels.Blocked).BlockedBy(1, 2)));

        Assert.Equal([new LabelChange(Ref(3), LabelAction.Remove, BoardLabels.Blocked)], plan.LabelChanges);
        Assert.Equal([3], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_OneOfTwoBlockersClosed_StaysBlockedWithNoLabelChange()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Closed(), Issue(2),
            Issue(3).Approved().WithLabels(BoardLabels.Blocked).BlockedBy(1, 2)));

        Assert.Empty(plan.LabelChanges);
        Assert.Equal([Ref(2)], Assert.Single(plan.Waiting).OpenBlockers);
    }

    [Fact]
    public void Plan_BlockerListedTwice_IsReportedOnceInListedOrder()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1), Issue(2), Issue(3).Approved().BlockedBy(2, 1, 2)));

        Assert.Equal([Ref(2), Ref(1)], Assert.Single(plan.Waiting).OpenBlockers);
    }

    [Fact]
    public void Plan_BlockedLabelButNoBlockers_IsRecomputedNotTrusted()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved().WithLabels(BoardLabels.Blocked)));

        Assert.Equal([new LabelChange(Ref(1), LabelAction.Remove, BoardLabels.Blocked)], plan.LabelChanges);
        Assert.Equal([1], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_UnapprovedIssueWithOpenBlocker_GetsNoBlockedLabel()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1), Issue(2).BlockedBy(1)));

        Assert.Empty(plan.LabelChanges);
        Assert.Empty(plan.Waiting);
    }

    [Fact]
    public void Plan_ClosedIssueWithStaleBlockedLabel_IsLeftAlone()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved().WithLabels(BoardLabels.Blocked).Closed()));

        Assert.Empty(plan.LabelChanges);
    }

    [Fact]
    public void Plan_FailedBlockerStillOpen_KeepsEveryDependentDownstreamBlocked()
    {
        // #1 failed: its agent gave up and a human was asked, but the issue is still open.
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved().WithLabels(BoardLabels.InProgress, "needs-human"),
            Issue(2).Approved().WithLabels(BoardLabels.Blocked).BlockedBy(1),
            Issue(3).Approved().WithLabels(BoardLabels.Blocked).BlockedBy(2)));

        Assert.Empty(plan.Start);
        Assert.Empty(plan.LabelChanges);
        Assert.Equal(WaitReason.BlockedByOpenIssue, plan.WaitReasonOf(2));
        Assert.Equal(WaitReason.BlockedByOpenIssue, plan.WaitReasonOf(3));
    }

    [Fact]
    public void Plan_BlockerInAnotherRepository_Counts()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(7, "acme/api"),
            Issue(1, "acme/web").Approved().BlockedBy(Ref(7, "acme/api"))));

        Assert.Empty(plan.Start);
        Assert.Equal([Ref(7, "acme/api")], Assert.Single(plan.Waiting).OpenBlockers);
    }

    [Fact]
    public void Plan_BlockerInAnotherRepositoryClosed_Starts()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(7, "acme/api").Closed(),
            Issue(1, "acme/web").Approved().BlockedBy(Ref(7, "Acme/API"))));

        Assert.Equal(["acme/web#1"], plan.Start.Select(i => i.ToString()));
    }

    [Fact]
    public void Plan_BlockerMissingFromSnapshot_CountsAsOpen()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved().BlockedBy(Ref(3, "other/lib"))));

        Assert.Empty(plan.Start);
        Assert.Equal([new LabelChange(Ref(1), LabelAction.Add, BoardLabels.Blocked)], plan.LabelChanges);
        Assert.Equal([Ref(3, "other/lib")], Assert.Single(plan.Waiting).OpenBlockers);
    }

    [Fact]
    public void Plan_TwoIssuesBlockingEachOther_ReportsTheCycleOnceAndTheRestProceeds()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved().BlockedBy(2),
            Issue(2).Approved().BlockedBy(1),
            Issue(3).Approved()));

        Assert.Equal([Ref(1), Ref(2)], Assert.Single(plan.Cycles).Issues);
        Assert.Equal([3], plan.Start.Numbers());
        Assert.Equal(WaitReason.InDependencyCycle, plan.WaitReasonOf(1));
        Assert.Equal(WaitReason.InDependencyCycle, plan.WaitReasonOf(2));
    }

    [Fact]
    public void Plan_IssueBlockingItself_IsACycleOfOne()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved().BlockedBy(1)));

        Assert.Equal([Ref(1)], Assert.Single(plan.Cycles).Issues);
        Assert.Empty(plan.Start);
    }

    [Fact]
    public void Plan_LoopsSharingIssues_ReportedAsOneCycleWithEveryMember()
    {
        // 1 → 2 → 3 → 1 and 3 → 4 → 3: two loops through #3 are one knot for a person to untangle.
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved().BlockedBy(2),
            Issue(2).Approved().BlockedBy(3),
            Issue(3).Approved().BlockedBy(1, 4),
            Issue(4).Approved().BlockedBy(3)));

        Assert.Equal([1, 2, 3, 4], Assert.Single(plan.Cycles).Issues.Numbers());
    }

    [Fact]
    public void Plan_SeparateCycles_EachReportedInIssueOrder()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(9).BlockedBy(8), Issue(8).BlockedBy(9),
            Issue(2).BlockedBy(1), Issue(1).BlockedBy(3), Issue(3).BlockedBy(2)));

        Assert.Equal([[1, 2, 3], [8, 9]], plan.Cycles.Select(c => c.Issues.Numbers()));
    }

    [Fact]
    public void Plan_IssueDownstreamOfACycle_WaitsForItsBlockerButIsNotInTheCycle()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).BlockedBy(2), Issue(2).BlockedBy(1),
            Issue(3).Approved().BlockedBy(2)));

        Assert.Equal([1, 2], Assert.Single(plan.Cycles).Issues.Numbers());
        Assert.Equal(WaitReason.BlockedByOpenIssue, plan.WaitReasonOf(3));
    }

    [Fact]
    public void Plan_ClosedIssueInTheLoop_IsNoCycle()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved().BlockedBy(2),
            Issue(2).BlockedBy(1).Closed()));

        Assert.Empty(plan.Cycles);
        Assert.Equal([1], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_CycleAcrossRepositories_IsReported()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1, "acme/api").Approved().BlockedBy(Ref(5, "acme/web")),
            Issue(5, "acme/web").Approved().BlockedBy(Ref(1, "acme/api"))));

        Assert.Equal(["acme/api#1", "acme/web#5"], Assert.Single(plan.Cycles).Issues.Select(i => i.ToString()));
    }

    [Fact]
    public void Plan_VeryLongChainOfBlockers_DoesNotOverflowTheStack()
    {
        const int Length = 200_000;
        var issues = Enumerable.Range(1, Length)
            .Select(n => n == 1 ? Issue(n).Approved() : Issue(n).Approved().WithLabels(BoardLabels.Blocked).BlockedBy(n - 1))
            .Append(Issue(1).Approved().BlockedBy(Length) with { Issue = Ref(Length + 1) })
            .ToArray();
        issues[0] = issues[0].BlockedBy(Length + 1);

        var plan = BoardPlanner.Plan(Board(5, issues));

        Assert.Equal(Length + 1, Assert.Single(plan.Cycles).Issues.Count);
    }
}
