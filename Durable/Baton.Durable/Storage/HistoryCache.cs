using Baton.Durable.History;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage;

/// <summary>
/// The histories of instances this store claimed or committed lately, so that the next claim of such an instance reads
/// no history rows and decodes no events (ENGINE.md §3.3, episode caching).
/// </summary>
/// <remarks>
/// An entry is valid while its execution id and event count equal the instance row's: within one execution the
/// history only grows, and only the lease holder appends to it, so equal counts mean equal events. An episode run by
/// another process changes the count, and the claim then reads the rows and replaces the entry. A commit extends the
/// entry it was claimed with only if that entry is still in place (compare and swap), so a claim that reloaded the
/// instance in the meantime is never overwritten. Least recently used entries are dropped once the budget is spent.
/// Events are shared between episodes: <see cref="HistoryEvent"/> is immutable and the arrays are never written.
/// </remarks>
internal sealed class HistoryCache(long capacityBytes)
{
    /// <summary>One cached history; also the token a commit hands back to <see cref="TryExtend"/>.</summary>
    internal sealed class Entry(string instanceId, string executionId, HistoryEvent[] events, long bytes)
    {
        public string InstanceId { get; } = instanceId;
        public string ExecutionId { get; } = executionId;
        public HistoryEvent[] Events { get; } = events;
        public long Bytes { get; } = bytes;
    }

    readonly Dictionary<string, LinkedListNode<Entry>> entries = new(StringComparer.Ordinal);
    readonly LinkedList<Entry> recency = new();   // most recently used first
    readonly Lock gate = new();
    long bytes;

    public bool Enabled => capacityBytes > 0;

    /// <summary>The cached history of the instance when it is exactly <paramref name="count"/> events of
    /// <paramref name="executionId"/>.</summary>
    public bool TryGet(string instanceId, string executionId, int count, out IReadOnlyList<HistoryEvent> events)
    {
        lock (gate)
        {
            if (entries.TryGetValue(instanceId, out var node) && node.Value.ExecutionId == executionId && node.Value.Events.Length == count)
            {
                Touch(node);
                events = node.Value.Events;
                return true;
            }
        }
        events = [];
        return false;
    }

    /// <summary>The entry a commit of this instance would extend, if any.</summary>
    public Entry? Peek(string instanceId)
    {
        lock (gate) return entries.TryGetValue(instanceId, out var node) ? node.Value : null;
    }

    /// <summary>Caches a history as read from the database.</summary>
    public void Put(string instanceId, string executionId, IReadOnlyList<HistoryEvent> events)
    {
        if (!Enabled) return;
        var array = events as HistoryEvent[] ?? events.ToArray();
        lock (gate) Replace(new Entry(instanceId, executionId, array, SizeOf(array)));
    }

    /// <summary>After a committed episode: the history is now <paramref name="claimed"/> (the entry peeked before the
    /// commit, null when there was none) followed by <paramref name="appended"/>, on <paramref name="executionId"/>; after
    /// ContinueAsNew (<paramref name="reset"/>) it is <paramref name="appended"/> alone. Nothing changes when the entry was
    /// replaced or dropped meanwhile, or when there is nothing to extend.</summary>
    public void TryExtend(string instanceId, Entry? claimed, bool reset, string executionId, IReadOnlyList<HistoryEvent> appended)
    {
        if (!Enabled) return;
        lock (gate)
        {
            entries.TryGetValue(instanceId, out var current);
            if (!ReferenceEquals(current?.Value, claimed)) return;

            var added = appended.Select(AsClaimed).ToArray();
            if (reset)
                Replace(new Entry(instanceId, executionId, added, SizeOf(added)));
            else if (claimed is not null && claimed.ExecutionId == executionId)
                Replace(new Entry(instanceId, executionId, [.. claimed.Events, .. added], claimed.Bytes + SizeOf(added)));
        }
    }

    public void Remove(string instanceId)
    {
        lock (gate)
        {
            if (!entries.Remove(instanceId, out var node)) return;
            recency.Remove(node);
            bytes -= node.Value.Bytes;
        }
    }

    void Replace(Entry entry)
    {
        if (entries.Remove(entry.InstanceId, out var old))
        {
            recency.Remove(old);
            bytes -= old.Value.Bytes;
        }
        if (entry.Bytes > capacityBytes) return;
        entries[entry.InstanceId] = recency.AddFirst(entry);
        bytes += entry.Bytes;
        while (bytes > capacityBytes && recency.Last is { } last)
        {
            recency.RemoveLast();
            entries.Remove(last.Value.InstanceId);
            bytes -= last.Value.Bytes;
        }
    }

    void Touch(LinkedListNode<Entry> node)
    {
        if (node == recency.First) return;
        recency.Remove(node);
        recency.AddFirst(node);
    }

    /// <summary>An event as a claim reads it: scheduling events come without their data (replay never needs it).</summary>
    static HistoryEvent AsClaimed(HistoryEvent e) =>
        e.Data is not null && EventCodec.SchedulingTypes.Contains(e.Type) ? e with { Data = null } : e;

    /// <summary>A rough size in memory: the data's characters plus a fixed allowance for the event's other fields.</summary>
    static long SizeOf(HistoryEvent[] events)
    {
        long size = 0;
        foreach (var e in events) size += 256 + 2L * ((e.Data?.Length ?? 0) + (e.Name?.Length ?? 0));
        return size;
    }
}
