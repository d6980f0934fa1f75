namespace Baton.Durable.History;

/// <summary>Kinds of events in an orchestration's history and inbox (ENGINE.md §2.2).</summary>
public enum HistoryEventType
{
    OrchestratorStarted,
    ExecutionStarted,
    TaskScheduled,
    TaskCompleted,
    TaskFailed,
    SubOrchestrationInstanceCreated,
    SubOrchestrationInstanceCompleted,
    SubOrchestrationInstanceFailed,
    TimerCreated,
    TimerFired,
    EventRaised,
    EventSent,
    ExecutionSuspended,
    ExecutionResumed,
    ExecutionTerminated,
    ExecutionCompleted,
    ContinueAsNew,
    OrchestratorCompleted,
    GenericEvent,
}

/// <summary>A W3C trace context as Durable Task events carry it.</summary>
public sealed record TraceContext(string? TraceParent, string? TraceState = null, string? Id = null, string? SpanId = null,
    DateTimeOffset? StartTime = null);

/// <summary>
/// One history (or inbox) event. A single flat record keeps storage simple: the store persists it as JSON
/// and indexes only <see cref="Type"/>, <see cref="TaskId"/> and <see cref="Name"/>.
/// </summary>
public sealed record HistoryEvent(HistoryEventType Type, DateTime Timestamp)
{
    /// <summary>Sequence id for scheduling events (TaskScheduled, TimerCreated, SubOrchestrationInstanceCreated,
    /// EventSent); the scheduled id for their completions; -1 otherwise.</summary>
    public int TaskId { get; init; } = -1;

    /// <summary>Activity, orchestrator or event name.</summary>
    public string? Name { get; init; }

    public string? Version { get; init; }

    /// <summary>Serialized JSON: the input, result, event payload or output, by event type.</summary>
    public string? Data { get; init; }

    public TaskFailureDetails? Failure { get; init; }

    /// <summary>TimerCreated / TimerFired: when the timer is due.</summary>
    public DateTime? FireAt { get; init; }

    /// <summary>SubOrchestrationInstanceCreated: the child's id. EventSent: the target's id.</summary>
    public string? InstanceId { get; init; }

    /// <summary>ExecutionStarted: the execution this event starts.</summary>
    public string? ExecutionId { get; init; }

    /// <summary>ExecutionStarted of a sub-orchestration: who to notify on completion.</summary>
    public ParentOrchestrationInstance? Parent { get; init; }

    /// <summary>ExecutionCompleted: Completed, Failed or Terminated.</summary>
    public OrchestrationRuntimeStatus? Status { get; init; }

    /// <summary>Suspend / resume / terminate reason.</summary>
    public string? Reason { get; init; }

    /// <summary>ExecutionTerminated: also terminate running sub-orchestrations.</summary>
    public bool Recursive { get; init; }

    /// <summary>TaskScheduled: the attempt's time limit.</summary>
    public TimeSpan? Timeout { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The distributed-trace context the event carries (W3C trace parent and state, span), for the Durable
    /// Task provider's events; a sub-orchestration's creation keeps only its client span id here.</summary>
    public TraceContext? Trace { get; init; }

    public bool IsSchedulingEvent => Type is HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated
        or HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.EventSent;
}
