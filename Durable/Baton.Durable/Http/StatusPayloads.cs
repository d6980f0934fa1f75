using System.Text.Json;
using System.Text.Json.Serialization;
using Baton.Durable.History;

namespace Baton.Durable.Http;

/// <summary>
/// The status body of one instance, shaped like Durable Functions' (ENGINE.md §4). Payloads are embedded as JSON
/// values, not as strings. Missing values are written as <c>null</c> so clients see a stable shape.
/// </summary>
public sealed record InstanceStatus(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    JsonElement? Input,
    JsonElement? CustomStatus,
    JsonElement? Output,
    DateTime CreatedTime,
    DateTime LastUpdatedTime,
    FailureDetailsPayload? FailureDetails)
{
    /// <summary>Only with <c>showHistory=true</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<HistoryEventPayload>? HistoryEvents { get; init; }

    public static InstanceStatus From(OrchestrationMetadata metadata, bool showInput) => new(
        metadata.Name,
        metadata.InstanceId,
        metadata.RuntimeStatus,
        showInput ? Payload.Parse(metadata.SerializedInput) : null,
        Payload.Parse(metadata.SerializedCustomStatus),
        Payload.Parse(metadata.SerializedOutput),
        Utc(metadata.CreatedAt),
        Utc(metadata.LastUpdatedAt),
        FailureDetailsPayload.From(metadata.FailureDetails));

    internal static DateTime Utc(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

public sealed record FailureDetailsPayload(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace,
    FailureDetailsPayload? InnerFailure,
    FailureClass FailureClass)
{
    public static FailureDetailsPayload? From(TaskFailureDetails? failure) => failure is null
        ? null
        : new(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, From(failure.InnerFailure), failure.FailureClass);
}

/// <summary>One history event as the API shows it; fields that do not apply to the event type are left out.</summary>
public sealed record HistoryEventPayload(HistoryEventType EventType, DateTime Timestamp)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? TaskId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Name { get; init; }
    /// <summary>The input, result, event payload or output, by event type.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public JsonElement? Data { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public FailureDetailsPayload? Failure { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public DateTime? FireAt { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? InstanceId { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public OrchestrationRuntimeStatus? Status { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Reason { get; init; }

    public static HistoryEventPayload From(HistoryEvent e, bool includeData) => new(e.Type, InstanceStatus.Utc(e.Timestamp))
    {
        TaskId = e.TaskId >= 0 ? e.TaskId : null,
        Name = e.Name,
        Data = includeData ? Payload.Parse(e.Data) : null,
        Failure = FailureDetailsPayload.From(e.Failure),
        FireAt = e.FireAt is { } fireAt ? InstanceStatus.Utc(fireAt) : null,
        InstanceId = e.InstanceId,
        Status = e.Status,
        Reason = e.Reason,
    };
}

/// <summary>The answer to a purge.</summary>
public sealed record PurgeResponse(int InstancesDeleted)
{
    /// <summary>Bulk purge only: true when the time budget ran out first; repeat the request to delete the rest.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? HasMore { get; init; }
}

/// <summary>Stored payloads are serialized JSON; the API embeds them as JSON values.</summary>
static class Payload
{
    public static JsonElement? Parse(string? json)
    {
        if (json is null) return null;
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not JSON (should not happen for engine-written data): show it as a string rather than fail the request.
            return JsonSerializer.SerializeToElement(json);
        }
    }
}

/// <summary>The management API's JSON convention: camelCase, enums as names, nulls written.</summary>
static class DurableHttpJson
{
    public static readonly JsonSerializerOptions Options = Create();

    static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        options.Converters.Add(new JsonStringEnumConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
