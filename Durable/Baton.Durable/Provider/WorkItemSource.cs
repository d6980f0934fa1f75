using System.Collections.Concurrent;
using Baton.Durable.Storage;

namespace Baton.Durable.Provider;

/// <summary>
/// Hands out claimed work one item at a time, as DTFx's dispatchers ask for it, while claiming from the store in batches
/// (one claim query for many instances or activities). When nothing is claimable it sleeps until a local commit signals
/// new work, the store's next due time comes, or an adaptive polling interval (10 ms doubling to 1 s) passes.
/// </summary>
/// <remarks>Claims only as many items as there are free slots, so nothing waits in the buffer long enough for its lease
/// to matter.</remarks>
sealed class WorkItemSource<T>(
    WorkQueue queue,
    IDurableStore store,
    AsyncPulse pulse,
    int capacity,
    int batch,
    TimeSpan minPolling,
    TimeSpan maxPolling,
    Func<int, CancellationToken, Task<IReadOnlyList<T>>> claim,
    TimeProvider time,
    Func<bool>? holdBack = null,
    TimeSpan maxHoldBack = default)
{
    /// <summary>Most items one claim takes while <c>holdBack</c> still says to wait.</summary>
    const int HeldBackBatch = 8;
    static readonly TimeSpan HoldBackPoll = TimeSpan.FromMilliseconds(10);

    readonly ConcurrentQueue<T> buffered = new();
    readonly SemaphoreSlim claiming = new(1, 1);
    int inFlight;
    readonly TimeSpan fastest = minPolling;
    TimeSpan idle = minPolling;

    /// <summary>Items handed out and not yet finished.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>The next item, or default when none became available within <paramref name="timeout"/>.</summary>
    public async Task<T?> NextAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (!cancellationToken.IsCancellationRequested)
        {
            if (buffered.TryDequeue(out var item))
            {
                Interlocked.Increment(ref inFlight);
                return item;
            }
            await claiming.WaitAsync(cancellationToken);
            try
            {
                if (!buffered.IsEmpty) continue;
                var free = Math.Max(1, capacity - InFlight);
                var held = await HoldBackAsync(cancellationToken);
                var claimed = await claim(Math.Min(free, held ? HeldBackBatch : batch), cancellationToken);
                if (claimed.Count > 0)
                {
                    idle = fastest;
                    foreach (var c in claimed) buffered.Enqueue(c);
                    continue;
                }
            }
            finally
            {
                claiming.Release();
            }
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return default;
            await WaitForWorkAsync(left < idle ? left : idle, cancellationToken);
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, maxPolling.Ticks));
        }
        return default;
    }

    /// <summary>Called once for every item <see cref="NextAsync"/> returned, when it is completed, abandoned or dropped.</summary>
    public void Finished() => Interlocked.Decrement(ref inFlight);

    /// <summary>Items claimed but not handed out (at shutdown their leases are released with the worker's).</summary>
    public IReadOnlyList<T> Drain()
    {
        var items = new List<T>();
        while (buffered.TryDequeue(out var item)) items.Add(item);
        return items;
    }

    /// <summary>Waits while <c>holdBack</c> says so, at most <c>maxHoldBack</c>; true when it still says so.</summary>
    async Task<bool> HoldBackAsync(CancellationToken cancellationToken)
    {
        if (holdBack is null || maxHoldBack <= TimeSpan.Zero || !holdBack()) return false;
        var until = time.GetUtcNow() + maxHoldBack;
        while (time.GetUtcNow() < until)
        {
            await Task.Delay(HoldBackPoll, time, cancellationToken);
            if (!holdBack()) return false;
        }
        return true;
    }

    async Task WaitForWorkAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        var next = await store.GetNextWakeUpAsync(queue, cancellationToken);
        if (next is { } due)
        {
            var untilDue = due - time.GetUtcNow().UtcDateTime;
            if (untilDue < wait) wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue;
        }
        if (wait > TimeSpan.Zero) await pulse.WaitAsync(wait, cancellationToken);
    }
}
