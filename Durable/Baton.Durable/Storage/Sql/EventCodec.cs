using System.Text;
using Baton.Durable.History;
using Baton.Durable.Serialization;

namespace Baton.Durable.Storage.Sql;

/// <summary>
/// Splits an event into two columns: <c>payload</c> (the event's JSON without <see cref="HistoryEvent.Data"/>) and
/// <c>data</c> (the often large input/result). Keeping them apart lets a claim skip the data of scheduling events,
/// which replay never needs (ENGINE.md §3.2, "never select payload for TaskScheduled").
/// </summary>
internal readonly record struct EncodedEvent(string Type, int? TaskId, string? Name, long Timestamp, string Payload, string? Data)
{
    public long ByteCount => Encoding.UTF8.GetByteCount(Payload) + (Data is null ? 0 : Encoding.UTF8.GetByteCount(Data));
}

internal static class EventCodec
{
    /// <summary>Event types whose <see cref="HistoryEvent.Data"/> is not loaded with a claimed history.</summary>
    public static readonly HistoryEventType[] SchedulingTypes =
    [
        HistoryEventType.TaskScheduled, HistoryEventType.TimerCreated,
        HistoryEventType.SubOrchestrationInstanceCreated, HistoryEventType.EventSent,
    ];

    public static EncodedEvent Encode(HistoryEvent e) => new(
        e.Type.ToString(),
        e.TaskId >= 0 ? e.TaskId : null,
        e.Name,
        EpochMs.From(e.Timestamp),
        DurableJson.Serialize(e with { Data = null }),
        e.Data);

    public static HistoryEvent Decode(string payload, string? data)
    {
        var e = DurableJson.Deserialize<HistoryEvent>(payload);
        return data is null ? e : e with { Data = data };
    }
}
