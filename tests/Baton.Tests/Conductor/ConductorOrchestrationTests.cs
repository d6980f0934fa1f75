using Baton.Activities.Conductor;
using Baton.Durable;
using Baton.Durable.Testing;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;

namespace Baton.Tests.Conductor;

/// <summary>One planning round of the conductor, with GitHub and the engine scripted by the fake context.</summary>
public sealed class ConductorOrchestrationTests
{
    static readonly IssueRef One = new("acme", "app", 1), Two = new("acme", "app", 2), Three = new("acme", "app", 3);
    static readonly DateTimeOffset Monday = new(2026, 11, 16, 9, 0, 0, TimeSpan.Zero);

    static BoardIssue Approved(IssueRef issue, int hoursAfterMonday, params IssueRef[] blockedBy) =>
        new(issue, true, [BoardLabels.Approved], Monday.AddHours(hoursAfterMonday), null, blockedBy);

    static FakeOrchestrationContext Board(params BoardIssue[] issues) => new FakeOrchestrationContext(nameof(ConductorOrchestration), "conductor",
            new DateTime(2026, 11, 21, 12, 0, 30, DateTimeKind.Utc))
        .OnActivity(nameof(ReadBoard), (Unit _) => new BoardReading(issues, 2, new Dictionary<string, int>(), [], "0 * * * * *"))
        .OnActivity(nameof(ApplyLabelChanges), (IReadOnlyList<LabelChange> changes) => changes.Count)
        .OnActivity(nameof(ReportCycle), (DependencyCycle cycle) => cycle.Issues.Count)
        .OnActivity(nameof(StartIssueWork), (IssueRef _) => true);

    [Fact]
    public async Task A_round_starts_assignable_issues_labels_blocked_ones_and_sleeps_until_woken()
    {
        var blocker = new BoardIssue(Three, true, [], null, null, []);
        var fake = Board(Approved(One, 1), Approved(Two, 0, Three), blocker);

        var round = fake.RunAsync(new ConductorOrchestration(), ConductorRound.First);
        Assert.False(round.IsCompleted);   // asleep until a webhook or the sweep

        Assert.Equal([One], fake.Calls.Where(c => c.Name == nameof(StartIssueWork)).Select(c => c.InputAs<IssueRef>()));
        var labels = Assert.Single(fake.Calls, c => c.Name == nameof(ApplyLabelChanges)).InputAs<List<LabelChange>>()!;
        Assert.Equal([new LabelChange(Two, LabelAction.Add, BoardLabels.Blocked)], labels);

        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("issues.labeled acme/app#4"));
        var next = await round;
        Assert.Equal((2, "issues.labeled acme/app#4"), (next.Number, next.Reason));
        Assert.Same(next, fake.ContinuedAsNew!.NewInput);
    }

    [Fact]
    public async Task Without_a_wake_the_sweep_schedule_starts_the_next_round()
    {
        var fake = Board(Approved(One, 1));
        var round = fake.RunAsync(new ConductorOrchestration(), ConductorRound.First);

        fake.AdvanceTime(TimeSpan.FromSeconds(29));
        Assert.False(round.IsCompleted);
        fake.AdvanceTime(TimeSpan.FromSeconds(1));   // 12:01:00, the next "0 * * * * *"

        var next = await round;
        Assert.Equal((2, "sweep"), (next.Number, next.Reason));
    }

    static readonly DateTime BoardReadAt = new(2026, 11, 21, 12, 0, 30, DateTimeKind.Utc);

    [Fact]
    public async Task A_wake_sent_before_the_rounds_board_read_is_skipped_and_a_later_one_starts_the_next_round()
    {
        var fake = Board(Approved(One, 1));
        // The skipped wake waits before the round runs and is taken at its first sleep; the other comes while it sleeps.
        // (Two raised back to back while it sleeps would race its continuation, which the fake context runs on the
        // thread pool: a raise that finds no waiter yet buffers the wake while the continuation, finding none buffered
        // yet, adds the waiter, and the wake is never taken.)
        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("own label change") { SentAt = BoardReadAt - TimeSpan.FromSeconds(2) });
        var round = fake.RunAsync(new ConductorOrchestration(), ConductorRound.First);
        Assert.False(round.IsCompleted);

        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("within the clock skew") { SentAt = BoardReadAt - TimeSpan.FromMilliseconds(500) });

        var next = await round;
        Assert.Equal((2, "within the clock skew"), (next.Number, next.Reason));
        Assert.Single(fake.Calls, c => c.Name == nameof(ReadBoard));
    }

    [Fact]
    public async Task Wakes_carried_over_from_the_previous_round_that_its_read_covers_start_no_round()
    {
        var fake = Board(Approved(One, 1));
        // Buffered before this execution's board read, as wakes are that arrive during a round and are carried over.
        for (var i = 0; i < 50; i++)
            fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake($"delivery {i}") { SentAt = BoardReadAt - TimeSpan.FromSeconds(5) });
        var round = fake.RunAsync(new ConductorOrchestration(), new ConductorRound(7, "issues.labeled acme/app#1"));
        Assert.False(round.IsCompleted);

        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("start-up"));   // no send time: never skipped

        Assert.Equal((8, "start-up"), ((await round).Number, (await round).Reason));
    }

    [Fact]
    public async Task Skipped_wakes_do_not_stop_the_sweep()
    {
        var fake = Board(Approved(One, 1));
        var round = fake.RunAsync(new ConductorOrchestration(), ConductorRound.First);
        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("old") { SentAt = BoardReadAt - TimeSpan.FromMinutes(1) });

        fake.AdvanceTime(TimeSpan.FromSeconds(30));

        Assert.Equal("sweep", (await round).Reason);
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
    public async Task A_dependency_cycle_is_reported_once_and_the_rest_of_the_queue_proceeds()
    {
        var fake = Board(Approved(One, 0, Two), Approved(Two, 1, One), Approved(Three, 2));
        var round = fake.RunAsync(new ConductorOrchestration(), ConductorRound.First);

        var cycle = Assert.Single(fake.Calls, c => c.Name == nameof(ReportCycle)).InputAs<DependencyCycle>()!;
        Assert.Equal([One, Two], cycle.Issues);
        Assert.Equal([Three], fake.Calls.Where(c => c.Name == nameof(StartIssueWork)).Select(c => c.InputAs<IssueRef>()));
        fake.RaiseEvent(ConductorEvents.Wake, new ConductorWake("test"));
        await round;
    }

    [Fact]
    public async Task A_milestone_is_watched_across_rounds_and_closed_with_a_notification_once_its_issues_are_done()
    {
        var inMilestone = Approved(One, 1) with { MilestoneNumber = 7 };
        var watching = Board(inMilestone).OnActivity(nameof(CloseCompletedMilestones), (List<MilestoneRef> _) => new List<CompletedMilestone>());
        var first = watching.RunAsync(new ConductorOrchestration(), ConductorRound.First);
        watching.RaiseEvent(ConductorEvents.Wake, new ConductorWake("issues.closed acme/app#1"));
        var watched = (await first).Milestones;
        Assert.Equal([new MilestoneRef("acme/app", 7)], watched);

        // The next round no longer sees the (closed) issue, but still checks its milestone, which is now complete.
        var completing = Board()
            .OnActivity(nameof(CloseCompletedMilestones), (List<MilestoneRef> m) => m.Select(x => new CompletedMilestone(x, "AI Chat Widget", 4)).ToList())
            .OnActivity(nameof(Activities.Notifications.SendNotification), (Activities.Notifications.Notification n) => Unit.Value);
        var second = completing.RunAsync(new ConductorOrchestration(), new ConductorRound(2, "sweep") { Milestones = watched });
        completing.RaiseEvent(ConductorEvents.Wake, new ConductorWake("test"));

        Assert.Empty((await second).Milestones);
        var notice = Assert.Single(completing.Calls, c => c.Name == nameof(Activities.Notifications.SendNotification))
            .InputAs<Activities.Notifications.Notification>()!;
        Assert.Equal("milestone-complete", notice.Kind);
        Assert.Contains("AI Chat Widget", notice.Title);
    }
}
