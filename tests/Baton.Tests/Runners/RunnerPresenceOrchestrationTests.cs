using Baton.Orchestrations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Runners;

/// <summary>A runner's presence: each sighting moves its last-seen time, silence for <see cref="RunnerPresenceOrchestration.OfflineAfter"/>
/// ends it as offline, and a long-lived runner's history is kept short.</summary>
public sealed class RunnerPresenceOrchestrationTests
{
    static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    const string RunnerId = "laptop-7.command.0123456789";

    [Fact]
    public void Each_sighting_moves_the_last_seen_time_and_silence_ends_it_offline()
    {
        var context = new MockOrchestrationContext(nameof(RunnerPresenceOrchestration), RunnerPresenceOrchestration.InstanceIdFor(RunnerId), Start);
        var run = context.Start(new RunnerPresenceOrchestration(), new RunnerPresence(RunnerId, Start, Online: true));

        context.AdvanceTime(TimeSpan.FromSeconds(90));
        context.Raise(RunnerPresenceOrchestration.Seen, null);
        Assert.Equal(new RunnerPresence(RunnerId, Start.AddSeconds(90), true), context.CustomStatus);

        context.AdvanceTime(RunnerPresenceOrchestration.OfflineAfter - TimeSpan.FromSeconds(1));
        Assert.False(run.IsFinished);
        context.AdvanceTime(TimeSpan.FromSeconds(1));

        Assert.Equal(new RunnerPresence(RunnerId, Start.AddSeconds(90), Online: false), run.Output);
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_runner_seen_a_hundred_times_continues_as_new_with_its_presence()
    {
        var context = new MockOrchestrationContext(nameof(RunnerPresenceOrchestration), RunnerPresenceOrchestration.InstanceIdFor(RunnerId), Start);
        var run = context.Start(new RunnerPresenceOrchestration(), new RunnerPresence(RunnerId, Start, Online: true));

        for (var i = 1; i <= 100; i++)
        {
            context.AdvanceTime(TimeSpan.FromSeconds(15));
            context.Raise(RunnerPresenceOrchestration.Seen, null);
        }

        Assert.True(run.IsFinished);
        Assert.Equal(new RunnerPresence(RunnerId, Start.AddSeconds(1500), true), context.ContinuedAsNew!.NewInput);
        Assert.True(context.ContinuedAsNew.PreserveUnprocessedEvents);
    }
}
