using System.Text.Json;
using Baton.Durable.Serialization;
using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Tracing;
using Stored = Baton.Durable.History.HistoryEvent;
using StoredType = Baton.Durable.History.HistoryEventType;

namespace Baton.Durable.Provider;

/// <summary>
/// Translates between DTFx's history events and the store's flat event rows, both ways and without loss for what
/// replay, the client and the status API read.
/// </summary>
/// <remarks>
/// The rule for ids: a stored event's <see cref="Stored.TaskId"/> is the DTFx event's <c>EventId</c>, except for
/// completions (task, sub-orchestration, timer), where it is the id of the event they complete; a completion's own
/// <c>EventId</c> is always -1 in DTFx. Not kept: the legacy correlation string and the
/// generation counter (nothing Baton or the SDK reads).
/// </remarks>
static partial class StoredEvents
{
    public static Stored ToStored(HistoryEvent e) => e switch
    {
        ExecutionStartedEvent s => new Stored(StoredType.ExecutionStarted, e.Timestamp)
        {
            Name = s.Name,
            Version = s.Version,
            Data = s.Input,
            InstanceId = s.OrchestrationInstance?.InstanceId,
            ExecutionId = s.OrchestrationInstance?.ExecutionId,
            Parent = ToStored(s.ParentInstance),
            Tags = Copy(s.Tags),
            FireAt = s.ScheduledStartTime,
            Trace = ToStored(s.ParentTraceContext),
        },
        ContinueAsNewEvent c => new Stored(StoredType.ContinueAsNew, e.Timestamp) { TaskId = e.EventId, Data = c.Result },
        ExecutionCompletedEvent c => new Stored(StoredType.ExecutionCompleted, e.Timestamp)
        {
            TaskId = e.EventId,
            Data = c.Result,
            Status = (OrchestrationRuntimeStatus)c.OrchestrationStatus,
            Failure = ToStored(c.FailureDetails),
        },
        // Baton's own engine (before session 7) ended a terminated instance with its Reason; DTFx with the event's Input
        // (serialized: the SDK client's TerminateInstanceOptions.Output). Both are kept, so rows either wrote read alike.
        ExecutionTerminatedEvent t => new Stored(StoredType.ExecutionTerminated, e.Timestamp)
        {
            TaskId = e.EventId, Data = t.Input, Reason = DurableJson.TextOf(t.Input),
        },
        ExecutionSuspendedEvent s => new Stored(StoredType.ExecutionSuspended, e.Timestamp) { TaskId = e.EventId, Reason = s.Reason },
        ExecutionResumedEvent r => new Stored(StoredType.ExecutionResumed, e.Timestamp) { TaskId = e.EventId, Reason = r.Reason },
        OrchestratorStartedEvent => new Stored(StoredType.OrchestratorStarted, e.Timestamp) { TaskId = e.EventId },
        OrchestratorCompletedEvent => new Stored(StoredType.OrchestratorCompleted, e.Timestamp) { TaskId = e.EventId },
        TaskScheduledEvent t => new Stored(StoredType.TaskScheduled, e.Timestamp)
        {
            TaskId = e.EventId, Name = t.Name, Version = t.Version, Data = t.Input, Tags = Copy(t.Tags), Trace = ToStored(t.ParentTraceContext),
        },
        TaskCompletedEvent t => new Stored(StoredType.TaskCompleted, e.Timestamp) { TaskId = t.TaskScheduledId, Data = t.Result },
        TaskFailedEvent t => new Stored(StoredType.TaskFailed, e.Timestamp)
        {
            TaskId = t.TaskScheduledId, Reason = t.Reason, Data = t.Details, Failure = ToStored(t.FailureDetails),
        },
        SubOrchestrationInstanceCreatedEvent s => new Stored(StoredType.SubOrchestrationInstanceCreated, e.Timestamp)
        {
            TaskId = e.EventId, Name = s.Name, Version = s.Version, InstanceId = s.InstanceId, Data = s.Input, Tags = Copy(s.Tags),
            Trace = s.ClientSpanId is null ? null : new Baton.Durable.History.TraceContext(null, SpanId: s.ClientSpanId),
        },
        SubOrchestrationInstanceCompletedEvent s => new Stored(StoredType.SubOrchestrationInstanceCompleted, e.Timestamp)
        {
            TaskId = s.TaskScheduledId, Data = s.Result,
        },
        SubOrchestrationInstanceFailedEvent s => new Stored(StoredType.SubOrchestrationInstanceFailed, e.Timestamp)
        {
            TaskId = s.TaskScheduledId, Reason = s.Reason, Data = s.Details, Failure = ToStored(s.FailureDetails),
        },
        TimerCreatedEvent t => new Stored(StoredType.TimerCreated, e.Timestamp) { TaskId = e.EventId, FireAt = t.FireAt },
        TimerFiredEvent t => new Stored(StoredType.TimerFired, e.Timestamp) { TaskId = t.TimerId, FireAt = t.FireAt },
        EventRaisedEvent r => new Stored(StoredType.EventRaised, e.Timestamp)
        {
            TaskId = e.EventId, Name = r.Name, Data = r.Input, Trace = ToStored(r.ParentTraceContext),
        },
        EventSentEvent s => new Stored(StoredType.EventSent, e.Timestamp)
        {
            TaskId = e.EventId, Name = s.Name, InstanceId = s.InstanceId, Data = s.Input,
        },
        GenericEvent g => new Stored(StoredType.GenericEvent, e.Timestamp) { TaskId = e.EventId, Data = g.Data },
        _ => throw new NotSupportedException($"Baton's store does not keep {e.EventType} events."),
    };

    /// <param name="instanceId">The instance the event belongs to (an ExecutionStarted row written by the store itself
    /// does not repeat it).</param>
    public static HistoryEvent FromStored(Stored e, string instanceId)
    {
        HistoryEvent result = e.Type switch
        {
            StoredType.ExecutionStarted => new ExecutionStartedEvent(-1, e.Data)
            {
                OrchestrationInstance = new OrchestrationInstance { InstanceId = e.InstanceId ?? instanceId, ExecutionId = e.ExecutionId },
                Name = e.Name,
                Version = e.Version,
                ParentInstance = FromStored(e.Parent),
                Tags = Copy(e.Tags),
                ScheduledStartTime = e.FireAt,
                ParentTraceContext = FromStored(e.Trace)!,
            },
            StoredType.ContinueAsNew => new ContinueAsNewEvent(e.TaskId, e.Data),
            StoredType.ExecutionCompleted => new ExecutionCompletedEvent(e.TaskId, e.Data,
                (OrchestrationStatus)(e.Status ?? OrchestrationRuntimeStatus.Completed), FromStored(e.Failure)),
            StoredType.ExecutionTerminated => new ExecutionTerminatedEvent(e.TaskId, e.Data ?? DurableJson.Serialize(e.Reason)),
            StoredType.ExecutionSuspended => new ExecutionSuspendedEvent(e.TaskId, e.Reason),
            StoredType.ExecutionResumed => new ExecutionResumedEvent(e.TaskId, e.Reason),
            StoredType.OrchestratorStarted => new OrchestratorStartedEvent(e.TaskId),
            StoredType.OrchestratorCompleted => new OrchestratorCompletedEvent(e.TaskId),
            StoredType.TaskScheduled => new TaskScheduledEvent(e.TaskId)
            {
                Name = e.Name, Version = e.Version, Input = e.Data, Tags = Copy(e.Tags), ParentTraceContext = FromStored(e.Trace),
            },
            StoredType.TaskCompleted => new TaskCompletedEvent(-1, e.TaskId, e.Data),
            StoredType.TaskFailed => new TaskFailedEvent(-1, e.TaskId, e.Reason, e.Data, FromStored(e.Failure)),
            StoredType.SubOrchestrationInstanceCreated => new SubOrchestrationInstanceCreatedEvent(e.TaskId)
            {
                Name = e.Name, Version = e.Version, InstanceId = e.InstanceId, Input = e.Data, Tags = Copy(e.Tags),
                ClientSpanId = e.Trace?.SpanId!,
            },
            StoredType.SubOrchestrationInstanceCompleted => new SubOrchestrationInstanceCompletedEvent(-1, e.TaskId, e.Data),
            StoredType.SubOrchestrationInstanceFailed =>
                new SubOrchestrationInstanceFailedEvent(-1, e.TaskId, e.Reason ?? e.Failure?.ErrorMessage, e.Data, FromStored(e.Failure)),
            StoredType.TimerCreated => new TimerCreatedEvent(e.TaskId, e.FireAt ?? e.Timestamp),
            StoredType.TimerFired => new TimerFiredEvent(-1, e.FireAt ?? e.Timestamp) { TimerId = e.TaskId },
            StoredType.EventRaised => new EventRaisedEvent(e.TaskId, e.Data) { Name = e.Name, ParentTraceContext = FromStored(e.Trace)! },
            StoredType.EventSent => new EventSentEvent(e.TaskId) { Name = e.Name, InstanceId = e.InstanceId, Input = e.Data },
            StoredType.GenericEvent => new GenericEvent(e.TaskId, e.Data),
            _ => throw new NotSupportedException($"A stored {e.Type} event has no Durable Task counterpart."),
        };
        result.Timestamp = e.Timestamp;
        return result;
    }

    public static ParentOrchestrationInstance? ToStored(ParentInstance? p) => p is null
        ? null
        : new ParentOrchestrationInstance(p.Name ?? "", p.OrchestrationInstance.InstanceId, p.OrchestrationInstance.ExecutionId,
            p.TaskScheduleId);

    public static ParentInstance? FromStored(ParentOrchestrationInstance? p) => p is null
        ? null
        : new ParentInstance
        {
            Name = p.Name,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = p.InstanceId, ExecutionId = p.ExecutionId },
            TaskScheduleId = p.TaskId,
        };

    public static TaskFailureDetails? ToStored(FailureDetails? f) => f is null
        ? null
        : new TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, ToStored(f.InnerFailure),
            IsNonRetriable: f.IsNonRetriable)
        {
            Properties = f.Properties is { Count: > 0 } p ? new Dictionary<string, object?>(p) : null,
        };

    public static FailureDetails? FromStored(TaskFailureDetails? f) => f is null
        ? null
        : new FailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, FromStored(f.InnerFailure), f.IsNonRetriable,
            f.Properties?.ToDictionary(p => p.Key, p => Plain(p.Value)));

    /// <summary>
    /// Property values come back from JSON as <see cref="JsonElement"/>: turned into the plain values they were — strings,
    /// numbers, booleans, nulls, nested dictionaries and lists — with a string in the round-trip date format read back as
    /// the <see cref="DateTime"/> it was written from.
    /// </summary>
    static object? Plain(object? value) => value is not JsonElement json ? value : json.ValueKind switch
    {
        JsonValueKind.String when IsRoundTripDate(json.GetString()!) => json.GetDateTime(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.Number => json.TryGetInt32(out var i) ? i : json.TryGetInt64(out var l) ? (object)l : json.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => Plain(p.Value)),
        JsonValueKind.Array => json.EnumerateArray().Select(e => Plain(e)).ToList(),
        _ => null,
    };

    static bool IsRoundTripDate(string text) => RoundTripDate().IsMatch(text);

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?(Z|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex RoundTripDate();

    public static Baton.Durable.History.TraceContext? ToStored(DistributedTraceContext? t) =>
        t is null ? null : new(t.TraceParent, t.TraceState, t.Id, t.SpanId, t.ActivityStartTime);

    public static DistributedTraceContext? FromStored(Baton.Durable.History.TraceContext? t) => t?.TraceParent is null
        ? null
        : new DistributedTraceContext(t.TraceParent, t.TraceState) { Id = t.Id, SpanId = t.SpanId, ActivityStartTime = t.StartTime };

    static Dictionary<string, string>? Copy(IEnumerable<KeyValuePair<string, string>>? tags) =>
        tags is null ? null : new Dictionary<string, string>(tags, StringComparer.Ordinal);
}
