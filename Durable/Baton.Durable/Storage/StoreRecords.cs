using Baton.Durable.History;

namespace Baton.Durable.Storage;

/// <summary>A claimed instance: its state, current history and the inbox rows this episode may consume.</summary>
public sealed record OrchestrationWorkItem(
    string InstanceId,
    string LockToken,
    InstanceRecord Instance,
    IReadOnlyList<HistoryEvent> History,
    IReadOnlyList<InboxMessage> Messages,
    /// <summary>The store's clock at claim time (the database clock on PostgreSQL).</summary>
    DateTime Now);

public sealed record InboxMessage(
    long Id,
    string InstanceId,
    /// <summary>Null: addressed to whatever execution is current.</summary>
    string? ExecutionId,
    HistoryEvent Event,
    DateTime VisibleAt,
    int DequeueCount);

/// <summary>Everything one episode changes, committed in one transaction.</summary>
public sealed record EpisodeCommit
{
    public required string InstanceId { get; init; }
    public required string LockToken { get; init; }

    /// <summary>New instance state. ExecutionId changes on ContinueAsNew (and is set from ExecutionStarted).</summary>
    public required InstanceUpdate Instance { get; init; }

    /// <summary>ContinueAsNew: delete the current history first; <see cref="NewHistory"/> then starts at sequence 0.</summary>
    public bool ResetHistory { get; init; }

    /// <summary>Appended to history with sequence = (count before) + index. A sequence collision means another worker
    /// already committed: the whole commit rolls back with <see cref="CommitOutcome.LeaseLost"/>.</summary>
    public IReadOnlyList<HistoryEvent> NewHistory { get; init; } = [];

    /// <summary>Claimed inbox rows to delete. Claimed rows not listed stay in the inbox, and the commit resets the
    /// instance's delivery count, so they never look like poison (the episode chose not to apply them, e.g. after
    /// ContinueAsNew).</summary>
    public IReadOnlyList<long> ConsumedMessageIds { get; init; } = [];

    /// <summary>When set, the consumed rows are copied to quarantine with this reason before deletion (poison).</summary>
    public string? QuarantineReason { get; init; }

    /// <summary>How often the quarantined rows were delivered, recorded with them.</summary>
    public int Deliveries { get; init; }

    /// <summary>Activity rows to insert (ignored if the same instance/execution/task id exists).</summary>
    public IReadOnlyList<ActivityRequest> Activities { get; init; } = [];

    /// <summary>Inbox rows for this or other instances. A row for another instance is inserted only if that instance
    /// exists and is not terminal (else dropped); rows for the committing instance are always inserted.</summary>
    public IReadOnlyList<OutboundMessage> Messages { get; init; } = [];

    /// <summary>Sub-orchestrations to create (Pending + ExecutionStarted row). If the id is taken, a
    /// SubOrchestrationInstanceFailed (non-retriable, "instance id in use") row goes to this instance instead.</summary>
    public IReadOnlyList<NewInstance> Children { get; init; } = [];
}

public sealed record InstanceUpdate(
    string ExecutionId,
    OrchestrationRuntimeStatus Status,
    string? Output,
    string? CustomStatus,
    TaskFailureDetails? Failure)
{
    /// <summary>Set on ContinueAsNew: the next execution's input (and version).</summary>
    public string? NewInput { get; init; }
    public bool InputChanged { get; init; }
    public string? NewVersion { get; init; }
}

public sealed record ActivityRequest(string ExecutionId, int TaskId, string Name, string? Input, TimeSpan? Timeout)
{
    /// <summary>The activity version the orchestration asked for, if any.</summary>
    public string? Version { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    /// <summary>The trace context of the orchestration that scheduled it.</summary>
    public TraceContext? Trace { get; init; }
}

public sealed record OutboundMessage(string TargetInstanceId, string? TargetExecutionId, HistoryEvent Event, DateTime VisibleAt);

/// <summary>A leased activity row: what its holder needs to run it, renew it and report its result. Renewal and
/// completion are fenced by <see cref="LockToken"/>, so an item rebuilt with another claim's token is refused.</summary>
public sealed record ActivityWorkItem(
    long Id,
    string InstanceId,
    string ExecutionId,
    int TaskId,
    string Name,
    string? Input,
    TimeSpan? Timeout,
    string LockToken,
    int DequeueCount,
    /// <summary>The claimer's worker id.</summary>
    string LockedBy,
    /// <summary>The lease expiry as of the claim or read that produced this item; renewals do not update it.</summary>
    DateTime LeaseExpiresAt)
{
    public string? Version { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    public TraceContext? Trace { get; init; }
}

/// <summary>An activity row as it waits in the queue (<see cref="IDurableStore.ListActivitiesAsync"/>), leased or not.</summary>
public sealed record ActivityRecord(
    long Id,
    string InstanceId,
    string ExecutionId,
    int TaskId,
    string Name,
    string? Input,
    int DequeueCount,
    DateTime CreatedAt,
    /// <summary>When the row may next be claimed: its lease expiry while leased, or the end of an abandon back-off.</summary>
    DateTime VisibleAt,
    /// <summary>Null while queued. A lease whose expiry has passed has lapsed: the row is claimable again.</summary>
    ActivityLease? Lease);

public sealed record ActivityLease(string Owner, DateTime ExpiresAt);

public sealed record NewInstance(
    string InstanceId,
    string ExecutionId,
    string Name,
    string? Version,
    string? Input,
    DateTime? StartAt,
    IReadOnlyDictionary<string, string>? Tags = null,
    ParentOrchestrationInstance? Parent = null,
    string? IdempotencyKey = null)
{
    /// <summary>The trace context its ExecutionStarted event carries.</summary>
    public TraceContext? Trace { get; init; }
}

public sealed record InstanceRecord(
    string InstanceId,
    string ExecutionId,
    string Name,
    string? Version,
    OrchestrationRuntimeStatus Status,
    string? Input,
    string? Output,
    string? CustomStatus,
    TaskFailureDetails? Failure,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    DateTime? CompletedAt,
    ParentOrchestrationInstance? Parent,
    IReadOnlyDictionary<string, string>? Tags,
    int HistoryCount,
    long HistoryBytes,
    long RowVersion);

public enum CommitOutcome { Committed, LeaseLost }

/// <summary>The two kinds of claimable work, each with its own dispatcher.</summary>
public enum WorkQueue { Orchestrations, Activities }

public enum CreateOutcome { Created, AlreadyExists, IdempotentReplay }

public sealed record CreateResult(CreateOutcome Outcome, string InstanceId, OrchestrationRuntimeStatus? ExistingStatus = null);

public enum EnqueueOutcome { Enqueued, NotFound, Terminal, Duplicate }

public sealed record EnqueueResult(EnqueueOutcome Outcome, OrchestrationRuntimeStatus? Status = null);

public sealed record InstanceQuery
{
    public DateTime? CreatedFrom { get; init; }
    public DateTime? CreatedTo { get; init; }
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }
    public string? InstanceIdPrefix { get; init; }
    public int PageSize { get; init; } = 100;
    public bool IncludePayloads { get; init; }
    /// <summary>Opaque token from the previous page.</summary>
    public string? ContinuationToken { get; init; }
}

public sealed record InstancePage(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken);

public enum PurgeOutcome { Purged, NotFound, NotTerminal }

public sealed record PurgeFilter
{
    public DateTime? CreatedFrom { get; init; }
    public DateTime? CreatedTo { get; init; }
    /// <summary>Only instances that completed before this time (retention).</summary>
    public DateTime? CompletedBefore { get; init; }
    /// <summary>Terminal statuses to purge; null = all terminal statuses. Non-terminal statuses are ignored.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? Statuses { get; init; }
    public int BatchSize { get; init; } = 500;
    /// <summary>Stop starting new batches after this long; the result says whether more remain.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed record PurgeResult(int PurgedInstanceCount, bool HasMore);

public sealed record StoreCounts(long Instances, long InboxRows, long ActivityRows, long QuarantinedRows);
