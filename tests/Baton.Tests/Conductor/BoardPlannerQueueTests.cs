using Baton.Orchestrations.Conductor;
using static Baton.Tests.Conductor.BoardBuilders;

namespace Baton.Tests.Conductor;

/// <summary>Which issues are assignable, in what order, and how slots are shared (ARCHITECTURE.md §2.1).</summary>
public sealed class BoardPlannerQueueTests
{
    [Theory]
    [InlineData("approved only", new[] { "approved" }, true)]
    [InlineData("label case does not matter", new[] { "Approved" }, true)]
    [InlineData("approved and high priority", new[] { "approved", "high-priority" }, true)]
    [InlineData("stale blocked label, no blocker", new[] { "approved", "blocked" }, true)]
    [InlineData("not approved", new string[0], false)]
    [InlineData("priority without approval", new[] { "critical" }, false)]
    [InlineData("already in progress", new[] { "approved", "in-progress" }, false)]
    [InlineData("already in review", new[] { "approved", "in-review" }, false)]
    [InlineData("already done", new[] { "approved", "done" }, false)]
    public void Plan_LabelCombination_StartsOnlyAssignableIssues(string name, string[] labels, bool starts)
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).WithLabels(labels) with { ApprovedAt = Epoch }));

        Assert.True(starts == plan.Start.Contains(Ref(1)), name);
    }

    [Fact]
    public void Plan_ClosedApprovedIssue_IsNeverStartedNorWaiting()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved().Closed()));

        Assert.Empty(plan.Start);
        Assert.Empty(plan.Waiting);
    }

    [Fact]
    public void Plan_IssueAlreadyRunning_IsNotStartedAgain()
    {
        var plan = BoardPlanner.Plan(Board(5, Issue(1).Approved(), Issue(2).Approved()).Running(Ref(1)));

        Assert.Equal([2], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_MixedPriorities_StartsCriticalThenHighThenNormal()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved(minute: 0),
            Issue(2).Approved(minute: 1).WithLabels(BoardLabels.HighPriority),
            Issue(3).Approved(minute: 2).WithLabels(BoardLabels.Critical),
            Issue(4).Approved(minute: 3).WithLabels(BoardLabels.Critical, BoardLabels.HighPriority)));

        Assert.Equal([3, 4, 2, 1], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_NoFreeSlot_WaitingIssuesCarryPriorityAndApprovalTime()
    {
        var plan = BoardPlanner.Plan(Board(0,
            Issue(1).Approved(minute: 5),
            Issue(2).Approved(minute: 7).WithLabels(BoardLabels.Critical)));

        Assert.Equal(
            [(2, BoardLabels.Critical, Epoch.AddMinutes(7)), (1, (string?)null, Epoch.AddMinutes(5))],
            plan.Waiting.Select(w => (w.Issue.Number, w.Priority, w.ApprovedAt!.Value)).ToArray());
    }

    [Fact]
    public void Plan_SamePriority_OldestApprovalFirstNotLowestNumber()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved(minute: 30),
            Issue(2).Approved(minute: 10),
            Issue(3).Approved(minute: 20)));

        Assert.Equal([2, 3, 1], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_SameApprovalTime_OrdersByRepositoryThenNumber()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(2, "acme/web").Approved(),
            Issue(9, "acme/api").Approved(),
            Issue(1, "acme/web").Approved(),
            Issue(3, "acme/api").Approved()));

        Assert.Equal(["acme/api#3", "acme/api#9", "acme/web#1", "acme/web#2"], plan.Start.Select(i => i.ToString()));
    }

    [Fact]
    public void Plan_UnknownApprovalTime_GoesBehindKnownTimes()
    {
        var plan = BoardPlanner.Plan(Board(5,
            Issue(1).Approved() with { ApprovedAt = null },
            Issue(2).Approved(minute: 500)));

        Assert.Equal([2, 1], plan.Start.Numbers());
    }

    [Fact]
    public void Plan_SameBoardTwice_GivesTheSamePlan()
    {
        var board = Board(3, Issue(4).Approved(), Issue(3).Approved(), Issue(2).Approved(), Issue(1).Approved());

        Assert.Equal(BoardPlanner.Plan(board).Start, BoardPlanner.Plan(board).Start);
    }

    [Fact]
    public void Plan_MoreWorkThanSlots_FillsFreeSlotsAndQueuesTheRest()
    {
        var plan = BoardPlanner.Plan(Board(3,
            Issue(1).Approved(minute: 1), Issue(2).Approved(minute: 2),
            Issue(3).Approved(minute: 3), Issue(4).Approved(minute: 4)).Running(Ref(9)));

        Assert.Equal([1, 2], plan.Start.Numbers());
        Assert.Equal(WaitReason.NoFreeSlot, plan.WaitReasonOf(3));
        Assert.Equal(WaitReason.NoFreeSlot, plan.WaitReasonOf(4));
        Assert.Equal([3, 4], plan.Waiting.Select(w => w.Issue).Numbers());
    }

    [Fact]
    public void Plan_MoreRunningThanCapacity_StartsNothing()
    {
        var plan = BoardPlanner.Plan(Board(1, Issue(1).Approved()).Running(Ref(8), Ref(9)));

        Assert.Empty(plan.Start);
        Assert.Equal(WaitReason.NoFreeSlot, plan.WaitReasonOf(1));
    }

    [Fact]
    public void Plan_RepositoryAtItsLimit_OtherRepositoriesStillGetSlots()
    {
        var board = Board(5,
                Issue(1, "acme/api").Approved(minute: 1),
                Issue(2, "acme/api").Approved(minute: 2),
                Issue(3, "acme/web").Approved(minute: 3))
            .RepositoryLimit("ACME/API", 2)
            .Running(Ref(7, "acme/api"));

        var plan = BoardPlanner.Plan(board);

        Assert.Equal(["acme/api#1", "acme/web#3"], plan.Start.Select(i => i.ToString()));
        Assert.Equal(WaitReason.RepositoryAtCapacity, plan.WaitReasonOf(2));
    }

    [Fact]
    public void Plan_CriticalApprovedLast_TakesTheNextFreeSlotAheadOfOlderWork()
    {
        var plan = BoardPlanner.Plan(Board(2,
            Issue(1).Approved(minute: 0),
            Issue(2).Approved(minute: 1),
            Issue(3).Approved(minute: 90).WithLabels(BoardLabels.Critical)).Running(Ref(8)));

        Assert.Equal([3], plan.Start.Numbers());
        Assert.Equal([1, 2], plan.Waiting.Select(w => w.Issue).Numbers());
    }

    [Fact]
    public void Plan_CriticalWhileAllSlotsBusy_WaitsWithoutPreemptingRunningWork()
    {
        var plan = BoardPlanner.Plan(Board(1,
            Issue(1).Approved().WithLabels(BoardLabels.InProgress),
            Issue(2).Approved(minute: 5).WithLabels(BoardLabels.Critical)).Running(Ref(1)));

        Assert.Empty(plan.Start);
        Assert.Equal(WaitReason.NoFreeSlot, plan.WaitReasonOf(2));
        Assert.DoesNotContain(plan.LabelChanges, c => c.Issue == Ref(1));
    }

    [Fact]
    public void Plan_CriticalButBlocked_DoesNotTakeASlot()
    {
        var plan = BoardPlanner.Plan(Board(1,
            Issue(1).Approved(minute: 5),
            Issue(2).Approved(minute: 0).WithLabels(BoardLabels.Critical).BlockedBy(3),
            Issue(3)));

        Assert.Equal([1], plan.Start.Numbers());
        Assert.Equal(WaitReason.BlockedByOpenIssue, plan.WaitReasonOf(2));
    }

    [Fact]
    public void Plan_ZeroCapacity_StartsNothing()
    {
        var plan = BoardPlanner.Plan(Board(0, Issue(1).Approved()));

        Assert.Empty(plan.Start);
    }

    [Fact]
    public void Plan_NegativeCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BoardPlanner.Plan(Board(-1, Issue(1).Approved())));
    }

    [Fact]
    public void Plan_SameIssueTwiceInSnapshot_Throws()
    {
        Assert.Throws<ArgumentException>(() => BoardPlanner.Plan(Board(1, Issue(1), Issue(1).Approved())));
    }

    [Fact]
    public void IssueRef_DifferentCaseInOwnerOrRepo_IsTheSameIssue()
    {
        Assert.Equal(new IssueRef("Acme", "App", 1), new IssueRef("acme", "app", 1));
        Assert.Equal(new IssueRef("Acme", "App", 1).GetHashCode(), new IssueRef("acme", "app", 1).GetHashCode());
        Assert.NotEqual(new IssueRef("acme", "app", 1), new IssueRef("acme", "app", 2));
    }
}
