using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Durable.Serialization;
using DurableTask.Core.History;
using Newtonsoft.Json.Linq;

namespace Baton.Durable.Http;

using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

/// <summary>One history event as the API shows it; fields that do not apply to the event type are left out.</summary>
/// <remarks>Read from the JSON a DTFx storage provider returns for a history (<c>GetOrchestrationHistoryAsync</c>: its
/// history events with their DataMember names), which Baton's and Azure Storage's providers both write.</remarks>
public sealed record HistoryEventPayload(EventType EventType, DateTime Timestamp)
{
    /// <summary>A scheduling event's sequence id, or the id of the event a completion completes.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? TaskId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    /// <summary>The input, result, event payload or output, by event type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonElement? Data { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public FailureDetailsPayload? Failure { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTime? FireAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? InstanceId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OrchestrationRuntimeStatus? Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }

    public static HistoryEventPayload From(JObject e, bool includeData)
    {
        var type = Enum<EventType>(e["EventType"]) ?? EventType.GenericEvent;
        return new(type, InstanceStatus.Utc(e.Value<DateTime>("Timestamp")))
        {
            TaskId = type switch
            {
                EventType.TaskScheduled or EventType.TimerCreated or EventType.SubOrchestrationInstanceCreated or EventType.EventSent =>
                    (int?)e["EventId"],
                EventType.TaskCompleted or EventType.TaskFailed or EventType.SubOrchestrationInstanceCompleted
                    or EventType.SubOrchestrationInstanceFailed => (int?)e["TaskScheduledId"],
                EventType.TimerFired => (int?)e["TimerId"],
                _ => null,
            },
            Name = (string?)e["Name"],
            Data = includeData ? Payload.Parse(DataOf(type, e)) : null,
            Failure = e["FailureDetails"] is JObject failure ? FailureFrom(failure) : null,
            FireAt = e["FireAt"]?.Type == JTokenType.Date ? InstanceStatus.Utc(e.Value<DateTime>("FireAt")) : null,
            InstanceId = type is EventType.SubOrchestrationInstanceCreated or EventType.EventSent ? (string?)e["InstanceId"] : null,
            Status = type is EventType.ExecutionCompleted ? Enum<OrchestrationRuntimeStatus>(e["OrchestrationStatus"]) : null,
            Reason = type switch
            {
                // The terminate reason is the output the instance ends with: JSON when the SDK client sent it.
                EventType.ExecutionTerminated => DurableJson.TextOf((string?)e["Input"]),
                EventType.ExecutionSuspended or EventType.ExecutionResumed or EventType.TaskFailed
                    or EventType.SubOrchestrationInstanceFailed => (string?)e["Reason"],
                _ => null,
            },
        };
    }

    static string? DataOf(EventType type, JObject e) => type switch
    {
        EventType.ExecutionStarted or EventType.TaskScheduled or EventType.SubOrchestrationInstanceCreated
            or EventType.EventRaised or EventType.EventSent => (string?)e["Input"],
        EventType.TaskCompleted or EventType.SubOrchestrationInstanceCompleted or EventType.ExecutionCompleted
            or EventType.ContinueAsNew => (string?)e["Result"],
        EventType.TaskFailed or EventType.SubOrchestrationInstanceFailed => (string?)e["Details"],
        EventType.GenericEvent => (string?)e["Data"],
        _ => null,
    };

    static FailureDetailsPayload FailureFrom(JObject f)
    {
        var properties = f["Properties"] is JObject { HasValues: true } p
            ? p.Properties().ToDictionary(x => x.Name, x => (object?)x.Value.ToString())
            : null;
        return new FailureDetailsPayload((string?)f["ErrorType"] ?? "", (string?)f["ErrorMessage"] ?? "", (string?)f["StackTrace"],
            f["InnerFailure"] is JObject inner ? FailureFrom(inner) : null, properties);
    }

    /// <summary>An enum written as its number (Newtonsoft's default) or its name.</summary>
    static T? Enum<T>(JToken? token) where T : struct, Enum => token?.Type switch
    {
        JTokenType.Integer => (T)(object)(int)token,
        JTokenType.String when System.Enum.TryParse<T>((string?)token, out var parsed) => parsed,
        _ => null,
    };
}
