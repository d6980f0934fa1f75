using Baton.Durable.History;

namespace Baton.Durable.Storage;

/// <summary>
/// Durable storage for the engine (ENGINE.md §3). One implementation per database (SQLite, PostgreSQL),
/// identical semantics, verified by one contract test suite.
///
/// Tables (same shape on both): instances, history, inbox (external events, completions, timers, control
/// messages), activities, quarantine, meta/leases. Timestamps are epoch milliseconds UTC; "now" is the
/// database's clock on PostgreSQL and the process clock on SQLite.
///
/// Invariants every implementation keeps:
/// - An episode's whole effect is one transaction (<see cref="CommitEpisodeAsync"/>), fenced by the lease token.
/// - An inbox row is deleted only by the commit of an episode that claimed it.
/// - Activity completion is fenced by the activity row's lease token; a second completion is a no-op.
/// - Nothing is lost if the process dies between any two calls: leases expire and work is claimed again.
/// </summary>
public interface IDurableStore : IAsyncDisposable
{
    /// <summary>"Sqlite" or "Postgres".</summary>
    string ProviderName { get; }

    /// <summary>Creates or upgrades the schema with versioned migrations (idempotent, safe to run concurrently).</summary>
    Task MigrateAsync(CancellationToken cancellationToken = default);

    /// <summary>True when the database answers and every migration is applied.</summary>
    Task<bool> IsReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>True while callers' writes (starts, raised events) keep the store's writer nearly always busy: the
    /// dispatcher then holds new orchestration work back for a while, so a burst of requests is not slowed by background
    /// episodes (docs/engine.md, "Callers first").</summary>
    bool CallersSaturateWriter => false;

    // ---- orchestration work ------------------------------------------------------------------

    /// <summary>
    /// Claims up to <paramref name="maxInstances"/> instances that have a visible inbox row (visible_at ≤ now) and no
    /// live lease, oldest-ready first, setting a fresh lease token per instance. For each, returns the current
    /// execution's history (ordered by sequence) and up to <paramref name="maxMessagesPerInstance"/> visible inbox
    /// rows ordered by id, marked with the claim and with their dequeue count incremented.
    /// Terminal instances with leftover rows are claimed too (their episode just consumes them).
    /// Replay needs no inputs of scheduling events, so in the returned history TaskScheduled, TimerCreated,
    /// SubOrchestrationInstanceCreated and EventSent come without <see cref="HistoryEvent.Data"/> (everything else,
    /// e.g. names, task ids, FireAt, is there); <see cref="GetHistoryAsync"/> returns them in full.
    /// </summary>
    Task<IReadOnlyList<OrchestrationWorkItem>> ClaimOrchestrationsAsync(
        string workerId, int maxInstances, int maxMessagesPerInstance, TimeSpan leaseTtl,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits one episode atomically if the lease token still matches; see <see cref="EpisodeCommit"/>.
    /// Returns <see cref="CommitOutcome.LeaseLost"/> (and changes nothing) when another claim owns the instance
    /// or the history sequence numbers collide (another worker already committed this episode).
    /// </summary>
    Task<CommitOutcome> CommitEpisodeAsync(EpisodeCommit commit, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease of a claimed instance; false when it was lost (another claim owns it now, or it was
    /// released): the episode will not be able to commit.</summary>
    Task<bool> RenewOrchestrationLeaseAsync(OrchestrationWorkItem workItem, TimeSpan leaseTtl,
        CancellationToken cancellationToken = default);

    /// <summary>Releases the lease without committing; the claimed rows become visible again after
    /// <paramref name="retryAfter"/> (back-off for engine-level errors).</summary>
    Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter,
        CancellationToken cancellationToken = default);

    // ---- activity work -----------------------------------------------------------------------

    /// <summary>
    /// Claims up to <paramref name="max"/> visible, unleased activity rows (oldest first) whose name passes
    /// <paramref name="filter"/> (null: every name), incrementing their dequeue count and setting a fresh lease token each.
    /// </summary>
    /// <remarks>
    /// Rows the filter excludes are neither leased nor counted. Whoever claims decides when a row is poison: the local
    /// worker does it for the activities it runs; an external claimer of remote activities
    /// (<see cref="ActivityNameFilter.Only"/>) applies its own cap to <see cref="ActivityWorkItem.DequeueCount"/>.
    /// </remarks>
    Task<IReadOnlyList<ActivityWorkItem>> ClaimActivitiesAsync(string workerId, int max, TimeSpan leaseTtl,
        ActivityNameFilter? filter = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The activity row <paramref name="id"/> as its current holder sees it (token, holder, lease expiry), or null when
    /// the row is gone (completed, purged) or not leased (queued, abandoned, released). For a host that hands work to
    /// external runners and gets only the id back.
    /// </summary>
    /// <remarks>
    /// The token returned is the <em>current</em> one. To act for a runner, fence with the token that runner was given
    /// (<c>item with { LockToken = runnerToken }</c>): a runner whose lease lapsed and was claimed again is then refused
    /// by <see cref="RenewActivityLeaseAsync"/> and <see cref="CompleteActivityAsync"/> instead of acting on the new claim.
    /// A lapsed lease not yet claimed again still answers to its token, as for any claimer.
    /// </remarks>
    Task<ActivityWorkItem?> GetActivityAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="max"/> rows named <paramref name="name"/> (exact match), queued and leased, oldest
    /// first, with who holds each lease and until when.</summary>
    Task<IReadOnlyList<ActivityRecord>> ListActivitiesAsync(string name, int max, CancellationToken cancellationToken = default);

    /// <summary>Extends the lease; false when it was lost (the activity should stop).</summary>
    Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan leaseTtl,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// In one transaction: deletes the activity row if the lease token matches (else returns false and changes
    /// nothing) and, if the owning instance exists with the same execution id and is not terminal, enqueues
    /// <paramref name="result"/> (TaskCompleted or TaskFailed) into its inbox. With <paramref name="quarantineReason"/>
    /// the row is copied to quarantine first.
    /// </summary>
    Task<bool> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, string? quarantineReason = null,
        CancellationToken cancellationToken = default);

    /// <summary>Releases the activity's lease; it becomes claimable again after <paramref name="retryAfter"/>.</summary>
    Task AbandonActivityAsync(ActivityWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default);

    // ---- scheduling helpers ------------------------------------------------------------------

    /// <summary>The earliest future time at which work in <paramref name="queue"/> becomes visible (an instance's next
    /// event, or an activity row), if any.</summary>
    Task<DateTime?> GetNextWakeUpAsync(WorkQueue queue, CancellationToken cancellationToken = default);

    /// <summary>The worker's heartbeat: extends every instance and activity lease <paramref name="workerId"/> holds, in one
    /// transaction, so leases can be short (a dead worker's work is taken over soon) without a live worker losing work it
    /// is still doing. Returns how many leases were extended.</summary>
    Task<int> RenewLeasesAsync(string workerId, TimeSpan orchestrationLeaseTtl, TimeSpan activityLeaseTtl,
        CancellationToken cancellationToken = default);

    /// <summary>Graceful shutdown: releases every lease held by <paramref name="workerId"/> so others resume at once.</summary>
    Task ReleaseLeasesAsync(string workerId, CancellationToken cancellationToken = default);

    /// <summary>A named lease so that one replica runs a singleton job (e.g. retention). True if
    /// <paramref name="owner"/> holds it after the call.</summary>
    Task<bool> TryAcquireSingletonAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    // ---- client operations -------------------------------------------------------------------

    /// <summary>
    /// Starts an instance in one transaction: if the id exists in a status of <paramref name="dedupeStatuses"/> →
    /// <see cref="CreateOutcome.AlreadyExists"/> (unless its idempotency key equals <see cref="NewInstance.IdempotencyKey"/>,
    /// then <see cref="CreateOutcome.IdempotentReplay"/>); if it exists otherwise, its old rows are removed and it is
    /// replaced. Inserts the instance (Pending) and an ExecutionStarted inbox row visible at StartAt ?? now.
    /// A non-null idempotency key that another instance already carries → IdempotentReplay with that instance's id.
    /// </summary>
    Task<CreateResult> CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Enqueues a message (EventRaised, ExecutionTerminated, ExecutionSuspended, ExecutionResumed) for the current
    /// execution of an instance. NotFound if absent; Terminal (with status) if finished; Duplicate if
    /// <paramref name="dedupeKey"/> was already used for this instance.
    /// </summary>
    Task<EnqueueResult> EnqueueMessageAsync(string instanceId, HistoryEvent message, string? dedupeKey = null,
        CancellationToken cancellationToken = default);

    Task<InstanceRecord?> GetInstanceAsync(string instanceId, bool includePayloads, CancellationToken cancellationToken = default);

    /// <summary>Keyset-paged listing ordered by (created_at, instance_id).</summary>
    Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>The current execution's history, ordered by sequence.</summary>
    Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a terminal instance and all its rows (and, recursively, its sub-orchestrations).</summary>
    Task<PurgeOutcome> PurgeInstanceAsync(string instanceId, bool recursive, CancellationToken cancellationToken = default);

    /// <summary>Batched, time-boxed bulk purge of terminal instances matching the filter.</summary>
    Task<PurgeResult> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Forgets up to <paramref name="batchSize"/> event dedupe keys (<see cref="EnqueueMessageAsync"/>) recorded before
    /// <paramref name="createdBefore"/>, of any instance, live ones included: after that a repeated raise with such a key
    /// is enqueued again. The count is in <see cref="PurgeResult.PurgedInstanceCount"/>.
    /// </summary>
    Task<PurgeResult> PurgeMessageKeysAsync(DateTime createdBefore, int batchSize = 5000, CancellationToken cancellationToken = default);

    /// <summary>Diagnostics: how many rows each queue holds and how many are quarantined.</summary>
    Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default);
}
