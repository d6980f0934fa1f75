using Baton.Activities.Conductor;
using Baton.Activities.Notifications;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Tests.Infrastructure;
using Moq;

namespace Baton.Tests.Conductor;

/// <summary>One planning round of the conductor, with GitHub and the engine scripted on a mocked SDK context.</summary>
public sealed class ConductorOrchestrationTests
{
    static readonly IssueRef One = new("acme", "app", 1), Two = new("acme", "app", 2), Three = new("acme", "app", 3);
    static readonly DateTimeOffset Monday = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);
    static readonly DateTime BoardReadAt = new(2026, 11, 21, 12, 0, 30, DateTimeKind.Utc);

    static BoardIssue Approved(IssueRef issue, int hoursAfterMonday, params IssueRef[] blockedBy) =>
        new(issue, true, [BoardLabels.Approved], Monday.AddHours(hoursAfterMonday), null, blockedBy);

    /// <summary>A conductor whose board read (at <see cref="BoardReadAt"/>) sees <paramref name="issues"/>, sweeping every minute.</summary>
    static MockOrchestrationContext Board(params BoardIssue[] issues) =>
        new MockOrchestrationContext(nameof(ConductorOrchestration), ConductorEvents.ConductorInstanceId, BoardReadAt)
            .OnActivity(nameof(ReadBoard), () => new BoardReading(issues, 2, new Dictionary<string, int>(), [], "0 * * * * *"))
            .OnActivity(nameof(ApplyLabelChanges), (IReadOnlyList<LabelChange> changes) => changes.Count)
            .OnActivity(nameof(ReportCycle), (DependencyCycle cycle) => cycle.Issues.Count)
            .OnActivity(nameof(StartIssueWork), (IssueRef _) => true);

    static List<IssueRef> Started(MockOrchestrationContext context) =>
        context.Calls.Where(c => c.Name == nameof(StartIssueWork)).Select(c => c.InputAs<IssueRef>()).ToList();

    [Fact]
    public void A_round_starts_assignable_issues_labels_blocked_ones_and_sleeps_until_woken()
    {
        var blocker = new BoardIssue(Three, true, [], null, null, []);
        var context = Board(Approved(One, 1), Approved(Two, 0, Three), blocker);

        var round = context.Start(new ConductorOrchestration(), ConductorRound.First);

        Assert.False(round.IsFinished);   // asleep until a webhook or the sweep
        Assert.Equal([nameof(ReadBoard), nameof(ApplyLabelChanges), nameof(StartIssueWork)], context.CallNames);
        Assert.Equal([One], Started(context));
        var labels = Assert.Single(context.Calls, c => c.Name == nameof(ApplyLabelChanges)).InputAs<IReadOnlyList<LabelChange>>();
        Assert.Equal([new LabelChange(Two, LabelAction.Add, BoardLabels.Blocked)], labels);
        var status = Assert.IsType<ConductorStatus>(context.CustomStatus);
        Assert.Equal((1, 1), (status.Round, status.Running));
        Assert.Equal([One], status.Started);

        context.Raise(ConductorEvents.Wake, new ConductorWake("issues.labeled acme/app#4"));

        var next = round.Output;
        Assert.Equal((2, "issues.labeled acme/app#4"), (next.Number, next.Reason));
        context.Mock.Verify(c => c.ContinueAsNew(next, true), Times.Once);
        Assert.Empty(context.PendingTimers);   // the sweep timer was cancelled
    }

    [Fact]
    public void Without_a_wake_the_sweep_schedule_starts_the_next_round()
    {
        var context = Board(Approved(One, 1));
        var round = context.Start(new ConductorOrchestration(), ConductorRound.First);
        Assert.Equal([new DateTime(2026, 11, 21, 12, 1, 0, DateTimeKind.Utc)], context.PendingTimers);   // the next "0 * * * * *"

        context.AdvanceTime(TimeSpan.FromSeconds(29));
        Assert.False(round.IsFinished);
        context.AdvanceTime(TimeSpan.FromSeconds(1));

        Assert.Equal((2, "sweep"), (round.Output.Number, round.Output.Reason));
        Assert.Same(round.Output, context.ContinuedAsNew?.NewInput);
    }

    [Fact]
    public void A_wake_sent_before_the_rounds_board_read_is_skipped_and_a_later_one_starts_the_next_round()
    {
        var context = Board(Approved(One, 1));
        var round = context.Start(new ConductorOrchestration(), ConductorRound.First);

        context.Raise(ConductorEvents.Wake, new ConductorWake("own label change") { SentAt = BoardReadAt - TimeSpan.FromSeconds(2) });
        Assert.False(round.IsFinished);
        Assert.True(context.IsWaitingFor(ConductorEvents.Wake));

        context.Raise(ConductorEvents.Wake, new ConductorWake("within the clock skew") { SentAt = BoardReadAt - TimeSpan.FromMilliseconds(500) });

        Assert.Equal((2, "within the clock skew"), (round.Output.Number, round.Output.Reason));
        Assert.Single(context.Calls, c => c.Name == nameof(ReadBoard));
    }

    [Fact]
    public void Wakes_carried_over_from_the_previous_round_that_its_read_covers_start_no_round()
    {
        var context = Board(Approved(One, 1));
        // Buffered before this execution's board read, as wakes are that arrive during a round and are carried over.
        for (var i = 0; i < 50; i++)
            context.Raise(ConductorEvents.Wake, new ConductorWake($"delivery {i}") { SentAt = BoardReadAt - TimeSpan.FromSeconds(5) });
        var round = context.Start(new ConductorOrchestration(), new ConductorRound(7, "issues.labeled acme/app#1"));
        Assert.False(round.IsFinished);

        context.Raise(ConductorEvents.Wake, new ConductorWake("start-up"));   // no send time: never skipped

        Assert.Equal((8, "start-up"), (round.Output.Number, round.Output.Reason));
    }

    [Fact]
    public void Skipped_wakes_do_not_stop_the_sweep()
    {
        var context = Board(Approved(One, 1));
        var round = context.Start(new ConductorOrchestration(), ConductorRound.First);
        context.Raise(ConductorEvents.Wake, new ConductorWake("old") { SentAt = BoardReadAt - TimeSpan.FromMinutes(1) });
        Assert.False(round.IsFinished);

        context.AdvanceTime(TimeSpan.FromSeconds(30));

        Assert.Equal("sweep", round.Output.Reason);
    }

    [Theory]
    [InlineData(-1001, true)]
    [InlineData(-1000, false)]
    [InlineData(0, false)]
    [InlineData(5000, false)]
    public void A_wake_is_covered_only_when_sent_before_the_read_by_more_than_the_clock_skew(int sentAfterReadMs, bool covered) =>
        Assert.Equal(covered, ConductorRules.IsCoveredBy(
            new ConductorWake("x") { SentAt = BoardReadAt.AddMilliseconds(sentAfterReadMs) }, BoardReadAt));

    [Fact]
    public void A_dependency_cycle_is_reported_once_and_the_rest_of_the_queue_proceeds()
    {
        var context = Board(Approved(One, 0, Two), Approved(Two, 1, One), Approved(Three, 2));

        var round = context.Start(new ConductorOrchestration(), ConductorRound.First);

        var cycle = Assert.Single(context.Calls, c => c.Name == nameof(ReportCycle)).InputAs<DependencyCycle>();
        Assert.Equal([One, Two], cycle.Issues);
        Assert.Equal([Three], Started(context));
        Assert.Equal([cycle], Assert.IsType<ConductorStatus>(context.CustomStatus).Cycles);
        Assert.False(round.IsFinished);
    }

    [Fact]
    public void A_milestone_is_watched_across_rounds_and_closed_with_a_notification_once_its_issues_are_done()
    {
        var inMilestone = Approved(One, 1) with { MilestoneNumber = 7 };
        var watching = Board(inMilestone).OnActivity(nameof(CloseCompletedMilestones), (IReadOnlyList<MilestoneRef> _) => new List<CompletedMilestone>());
        var first = watching.Start(new ConductorOrchestration(), ConductorRound.First);
        watching.Raise(ConductorEvents.Wake, new ConductorWake("issues.closed acme/app#1"));
        var watched = first.Output.Milestones;
        Assert.Equal([new MilestoneRef("acme/app", 7)], watched);
        Assert.DoesNotContain(nameof(SendNotification), watching.CallNames);

        // The next round no longer sees the (closed) issue, but still checks its milestone, which is now complete.
        var completing = Board()
            .OnActivity(nameof(CloseCompletedMilestones), (IReadOnlyList<MilestoneRef> m) => m.Select(x => new CompletedMilestone(x, "AI Chat Widget", 4)).ToList())
            .OnActivity(nameof(SendNotification), (Notification _) => true);
        var second = completing.Start(new ConductorOrchestration(), new ConductorRound(2, "sweep") { Milestones = watched });
        completing.Raise(ConductorEvents.Wake, new ConductorWake("test"));

        Assert.Empty(second.Output.Milestones);
        var notice = Assert.Single(completing.Calls, c => c.Name == nameof(SendNotification)).InputAs<Notification>();
        Assert.Equal(("milestone-complete", "Milestone \"AI Chat Widget\" is complete"), (notice.Kind, notice.Title));
        Assert.Equal("all 4 issues in acme/app are closed", notice.Detail);
    }
}
