using System.Diagnostics;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Tests.Storage;

/// <summary>"Callers first": when background orchestration work is held back for callers' writes, and when it is not.
/// The clock is the test's, so every decision is about the rounds fed in, not about how fast this machine is.</summary>
public sealed class WriterLoadTests
{
    static readonly long Ms = Stopwatch.Frequency / 1000;

    long now = 1_000_000 * Ms;

    WriterLoad NewLoad() => new(() => now);

    /// <summary>Rounds of <paramref name="roundMs"/> every <paramref name="everyMs"/>, each committing
    /// <paramref name="operations"/> operations of which <paramref name="callers"/> are callers'.</summary>
    void RunRounds(WriterLoad load, int count, int roundMs, int everyMs, int operations, int callers)
    {
        for (var i = 0; i < count; i++)
        {
            now += (everyMs - roundMs) * Ms;
            var start = now;
            if (callers > 0) load.CallerWrote();
            now += roundMs * Ms;
            load.RoundDone(start, now, operations, callers);
        }
    }

    [Fact]
    public void AnIdleWriter_HoldsNothingBack()
    {
        Assert.False(NewLoad().CallersSaturateWriter);
    }

    [Fact]
    public void BackToBackRoundsHalfOfThemCallersWrites_HoldBackgroundWorkBack()
    {
        var load = NewLoad();
        RunRounds(load, 40, roundMs: 2, everyMs: 2, operations: 14, callers: 7);   // a webhook burst: starts and routing episodes

        Assert.True(load.CallersSaturateWriter);
    }

    [Fact]
    public void ASaturatedWriterWithoutCallers_HoldsNothingBack()
    {
        var load = NewLoad();
        RunRounds(load, 40, roundMs: 3, everyMs: 3, operations: 60, callers: 0);   // orchestrations running flat out: their own work

        Assert.False(load.CallersSaturateWriter);
    }

    [Fact]
    public void CallersOnAWriterWithTimeToSpare_HoldNothingBack()
    {
        var load = NewLoad();
        RunRounds(load, 40, roundMs: 1, everyMs: 4, operations: 2, callers: 1);   // 500 requests a second: the writer idles 3/4 of the time

        Assert.False(load.CallersSaturateWriter);
    }

    /// <summary>A load that a webhook burst has made hold background work back.</summary>
    WriterLoad HeldBackByABurst()
    {
        var load = NewLoad();
        RunRounds(load, 40, roundMs: 2, everyMs: 2, operations: 14, callers: 7);
        Assert.True(load.CallersSaturateWriter);
        return load;
    }

    [Fact]
    public void OnceHeldBack_StaysSoWhileCallersKeepTheWriterBusy_AndLetsGoWhenTheyGoQuiet()
    {
        var load = HeldBackByABurst();

        // With background work held back only callers' writes remain; a few rounds without any do not end it.
        RunRounds(load, 3, roundMs: 2, everyMs: 2, operations: 4, callers: 0);
        load.CallerWrote();
        Assert.True(load.CallersSaturateWriter);

        now += WriterLoad.RecentTicks;   // no caller for a while: the burst is over
        Assert.False(load.CallersSaturateWriter);
    }

    [Fact]
    public void OnceHeldBack_LetsGoWhenTheWriterMostlyIdles()
    {
        var load = HeldBackByABurst();

        RunRounds(load, 30, roundMs: 1, everyMs: 10, operations: 1, callers: 1);   // a trickle of requests after the burst

        Assert.False(load.CallersSaturateWriter);
    }
}
