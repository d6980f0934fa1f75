using System.Diagnostics;

namespace Baton.Durable.Storage.Sql;

/// <summary>
/// How busy the group-commit writer has been lately, and with whose work. A caller's write (a start, a raised event,
/// a terminate) is a request someone is waiting on; an episode commit or a claim is the engine's own background work.
/// Both go through the same writer, so under a burst of callers (a webhook storm) every background episode makes each
/// caller wait longer. The dispatcher asks <see cref="CallersSaturateWriter"/> before it claims orchestration work and
/// holds back while it is true (docs/engine.md, "Callers first").
/// </summary>
/// <remarks>Both measures are moving averages over the last rounds (each round weighs <see cref="Weight"/>): utilization,
/// the share of wall time the writer spent in rounds; and the callers' share of the operations it committed. A writer
/// that has finished no round for <see cref="Recent"/> is idle, whatever the averages say.</remarks>
internal sealed class WriterLoad
{
    const double Weight = 0.1;
    const double BusyUtilization = 0.8;
    const double IdleUtilization = 0.5;
    const double CallerHeavyShare = 0.25;
    static readonly long Recent = Stopwatch.Frequency / 50;   // 20 ms

    readonly Func<long> clock;
    readonly Lock gate = new();
    double utilization;
    double callerShare;
    long lastRoundEnd;
    long lastCallerWrite;
    bool saturated;

    /// <param name="clock"><see cref="Stopwatch"/> timestamps (tests pass their own).</param>
    public WriterLoad(Func<long>? clock = null) => this.clock = clock ?? Stopwatch.GetTimestamp;

    /// <summary>The window that decides "lately", in <see cref="Stopwatch"/> ticks.</summary>
    public static long RecentTicks => Recent;

    /// <summary>A caller queued a write.</summary>
    public void CallerWrote() => Volatile.Write(ref lastCallerWrite, clock());

    /// <summary>Records a round that ran from <paramref name="start"/> to <paramref name="end"/> (<see cref="Stopwatch"/>
    /// timestamps) and committed <paramref name="operations"/> operations, <paramref name="callerOperations"/> of them callers'.</summary>
    public void RoundDone(long start, long end, int operations, int callerOperations)
    {
        if (operations == 0) return;
        lock (gate)
        {
            // The round's share of the time since the previous round ended: 1 when rounds run back to back.
            var since = lastRoundEnd == 0 ? start : Math.Min(lastRoundEnd, start);
            var busy = end - since <= 0 ? 1.0 : (double)(end - start) / (end - since);
            utilization += Weight * (busy - utilization);
            callerShare += Weight * ((double)callerOperations / operations - callerShare);
            lastRoundEnd = end;
        }
    }

    /// <summary>
    /// True while callers keep the writer saturated: it becomes true when the writer is nearly always busy
    /// (<see cref="BusyUtilization"/>) and a good part of its work is callers' (<see cref="CallerHeavyShare"/>), and stays
    /// true — background work held back, the callers' share then grows by itself — until callers go quiet for
    /// <see cref="Recent"/> or the writer is mostly idle (<see cref="IdleUtilization"/>).
    /// </summary>
    public bool CallersSaturateWriter
    {
        get
        {
            var now = clock();
            lock (gate)
            {
                if (now - Volatile.Read(ref lastCallerWrite) >= Recent || now - lastRoundEnd >= Recent || utilization < IdleUtilization)
                    saturated = false;
                else if (!saturated)
                    saturated = utilization >= BusyUtilization && callerShare >= CallerHeavyShare;
                return saturated;
            }
        }
    }
}
