using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Durable.Http;

// The old engine's types of the same names (namespace Baton.Durable) would win over plain usings until it is deleted.
using OrchestrationMetadata = Microsoft.DurableTask.Client.OrchestrationMetadata;
using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;
using TaskFailureDetails = Microsoft.DurableTask.TaskFailureDetails;

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
        metadata.CreatedAt.UtcDateTime,
        metadata.LastUpdatedAt.UtcDateTime,
        FailureDetailsPayload.From(metadata.FailureDetails));

    internal static DateTime Utc(DateTime value) =>
        value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value, DateTimeKind.Utc);
}

/// <param name="Properties">Facts the app attached to the failure (Baton's: its failure class and Retry-After).</param>
public sealed record FailureDetailsPayload(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace,
    FailureDetailsPayload? InnerFailure,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IDictionary<string, object?>? Properties)
{
    public static FailureDetailsPayload? From(TaskFailureDetails? failure) => failure is null
        ? null
        : new(failure.ErrorType, failure.ErrorMessage, failure.StackTrace, From(failure.InnerFailure),
            failure.Properties is { Count: > 0 } properties ? properties : null);
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

/// <summary>Which runtime statuses are final (the SDK's enum has no such helper).</summary>
static class RuntimeStatuses
{
    public static bool IsFinished(this OrchestrationRuntimeStatus status) =>
        status is OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed or OrchestrationRuntimeStatus.Terminated;
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
