using Baton.Durable.History;
using Baton.Durable.Storage;

namespace Baton.Durable.CrashHost;

/// <summary>Passes everything to the real store, and can die right after a commit succeeded — before the
/// worker acts on it (the "between commit and acknowledgement" window).</summary>
sealed class CrashingStore(IDurableStore inner) : IDurableStore
{
    public string ProviderName => inner.ProviderName;

    public async Task<CommitOutcome> CommitEpisodeAsync(EpisodeCommit commit, CancellationToken cancellationToken = default)
    {
        var outcome = await inner.CommitEpisodeAsync(commit, cancellationToken);
        if (outcome == CommitOutcome.Committed) CrashPoints.Hit("after-commit");
        return outcome;
    }

    public async Task<bool> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, string? quarantineReason = null,
        CancellationToken cancellationToken = default)
    {
        var completed = await inner.CompleteActivityAsync(workItem, result, quarantineReason, cancellationToken);
        if (completed) CrashPoints.Hit("after-activity-commit");
        return completed;
    }

    public Task MigrateAsync(CancellationToken cancellationToken = default) => inner.MigrateAsync(cancellationToken);
    public Task<bool> IsReadyAsync(CancellationToken cancellationToken = default) => inner.IsReadyAsync(cancellationToken);
    public Task<IReadOnlyList<OrchestrationWorkItem>> ClaimOrchestrationsAsync(string workerId, int maxInstances, int maxMessagesPerInstance,
        TimeSpan leaseTtl, CancellationToken cancellationToken = default) =>
        inner.ClaimOrchestrationsAsync(workerId, maxInstances, maxMessagesPerInstance, leaseTtl, cancellationToken);
    public Task<int> RenewLeasesAsync(string workerId, TimeSpan orchestrationLeaseTtl, TimeSpan activityLeaseTtl,
        CancellationToken cancellationToken = default) =>
        inner.RenewLeasesAsync(workerId, orchestrationLeaseTtl, activityLeaseTtl, cancellationToken);
    public Task<bool> RenewOrchestrationLeaseAsync(OrchestrationWorkItem workItem, TimeSpan leaseTtl,
        CancellationToken cancellationToken = default) =>
        inner.RenewOrchestrationLeaseAsync(workItem, leaseTtl, cancellationToken);
    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default) =>
        inner.AbandonOrchestrationAsync(workItem, retryAfter, cancellationToken);
    public Task<IReadOnlyList<ActivityWorkItem>> ClaimActivitiesAsync(string workerId, int max, TimeSpan leaseTtl,
        ActivityNameFilter? filter = null, CancellationToken cancellationToken = default) =>
        inner.ClaimActivitiesAsync(workerId, max, leaseTtl, filter, cancellationToken);
    public Task<ActivityWorkItem?> GetActivityAsync(long id, CancellationToken cancellationToken = default) =>
        inner.GetActivityAsync(id, cancellationToken);
    public Task<IReadOnlyList<ActivityRecord>> ListActivitiesAsync(string name, int max, CancellationToken cancellationToken = default) =>
        inner.ListActivitiesAsync(name, max, cancellationToken);
    public Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan leaseTtl, CancellationToken cancellationToken = default) =>
        inner.RenewActivityLeaseAsync(workItem, leaseTtl, cancellationToken);
    public Task AbandonActivityAsync(ActivityWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default) =>
        inner.AbandonActivityAsync(workItem, retryAfter, cancellationToken);
    public Task<DateTime?> GetNextWakeUpAsync(WorkQueue queue, CancellationToken cancellationToken = default) =>
        inner.GetNextWakeUpAsync(queue, cancellationToken);
    public Task ReleaseLeasesAsync(string workerId, CancellationToken cancellationToken = default) => inner.ReleaseLeasesAsync(workerId, cancellationToken);
    public Task<bool> TryAcquireSingletonAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default) =>
        inner.TryAcquireSingletonAsync(name, owner, ttl, cancellationToken);
    public Task<CreateResult> CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses,
        CancellationToken cancellationToken = default) => inner.CreateInstanceAsync(instance, dedupeStatuses, cancellationToken);
    public Task<EnqueueResult> EnqueueMessageAsync(string instanceId, HistoryEvent message, string? dedupeKey = null,
        CancellationToken cancellationToken = default) => inner.EnqueueMessageAsync(instanceId, message, dedupeKey, cancellationToken);
    public Task<InstanceRecord?> GetInstanceAsync(string instanceId, bool includePayloads, CancellationToken cancellationToken = default) =>
        inner.GetInstanceAsync(instanceId, includePayloads, cancellationToken);
    public Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        inner.QueryInstancesAsync(query, cancellationToken);
    public Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default) =>
        inner.GetHistoryAsync(instanceId, cancellationToken);
    public Task<PurgeOutcome> PurgeInstanceAsync(string instanceId, bool recursive, CancellationToken cancellationToken = default) =>
        inner.PurgeInstanceAsync(instanceId, recursive, cancellationToken);
    public Task<PurgeResult> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default) =>
        inner.PurgeInstancesAsync(filter, cancellationToken);
    public Task<PurgeResult> PurgeMessageKeysAsync(DateTime createdBefore, int batchSize = 5000, CancellationToken cancellationToken = default) =>
        inner.PurgeMessageKeysAsync(createdBefore, batchSize, cancellationToken);
    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default) => inner.GetCountsAsync(cancellationToken);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
