using System.Diagnostics;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage;

public abstract partial class SqlDurableStore
{
    public Task<PurgeOutcome> PurgeInstanceAsync(string instanceId, bool recursive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return WriteAsync([instanceId], async (session, ct) =>
        {
            var status = await StatusAsync(session, instanceId, ct);
            if (status is null) return Keep(PurgeOutcome.NotFound);
            if (!status.Value.IsTerminal()) return Keep(PurgeOutcome.NotTerminal);
            var ids = recursive ? await FinishedSubtreeAsync(session, instanceId, ct) : [instanceId];
            foreach (var statement in Sql.Maintenance.DeleteInstanceRows(ids)) session.Defer(statement);
            return Keep(PurgeOutcome.Purged);
        }, cancellationToken);
    }

    /// <summary>The root and its finished descendants; a live sub-orchestration (and what is under it) is kept.</summary>
    async ValueTask<List<string>> FinishedSubtreeAsync(StoreSession session, string rootId, CancellationToken cancellationToken)
    {
        var subtree = new List<string> { rootId };
        var seen = new HashSet<string>(subtree, StringComparer.Ordinal);
        var frontier = subtree.ToList();
        while (frontier.Count > 0)
        {
            var children = await session.QueryAsync(Sql.Instances.Children(frontier),
                r => (Id: r.GetString(0), Status: ParseStatus(r.GetString(1))), cancellationToken);
            frontier = children.Where(c => c.Status.IsTerminal() && seen.Add(c.Id)).Select(c => c.Id).ToList();
            subtree.AddRange(frontier);
        }
        return subtree;
    }

    public async Task<PurgeResult> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(filter.BatchSize, 1);
        var elapsed = Stopwatch.StartNew();
        var purged = 0;
        while (true)
        {
            // One transaction per batch keeps each short (ENGINE.md §3.13: purging thousands in one call times out).
            var batch = await WriteAsync([], async (session, ct) =>
            {
                var ids = await session.QueryAsync(Sql.Maintenance.PurgeCandidates(filter, filter.BatchSize), r => r.GetString(0), ct);
                if (ids.Count > 0)
                {
                    foreach (var statement in Sql.Maintenance.DeleteInstanceRows(ids)) session.Defer(statement);
                }
                return Keep(ids.Count);
            }, cancellationToken);
            purged += batch;
            if (batch < filter.BatchSize) return new PurgeResult(purged, HasMore: false);
            if (elapsed.Elapsed >= filter.TimeBudget)
            {
                var more = await ReadAsync((session, ct) => session.QueryAsync(Sql.Maintenance.PurgeCandidates(filter, 1), r => r.GetString(0), ct),
                    cancellationToken);
                return new PurgeResult(purged, HasMore: more.Count > 0);
            }
        }
    }

    public async Task<PurgeResult> PurgeMessageKeysAsync(DateTime createdBefore, int batchSize = 5000,
        CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var before = EpochMs.From(createdBefore);
        var deleted = await WriteAsync([], async (session, ct) =>
            Keep(await session.ExecuteAsync(MaintenanceStatements.PurgeMessageKeys(before, batchSize), ct)), cancellationToken);
        return new PurgeResult(deleted, HasMore: deleted == batchSize);
    }

    public Task<DateTime?> GetNextWakeUpAsync(WorkQueue queue, CancellationToken cancellationToken = default) =>
        ReadAsync(async (session, ct) =>
        {
            var now = await session.ReadClockAsync(ct);
            var due = await session.ScalarAsync(MaintenanceStatements.NextWakeUp(queue, now), r => r.IsDBNull(0) ? (long?)null : r.GetInt64(0), ct);
            return due is { } ms ? EpochMs.ToDateTime(ms) : (DateTime?)null;
        }, cancellationToken);

    public Task<int> RenewLeasesAsync(string workerId, TimeSpan orchestrationLeaseTtl, TimeSpan activityLeaseTtl,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        return WriteAsync([], async (session, ct) =>
        {
            var instances = session.Defer(InstanceStatements.RenewLeases(workerId, session.Now + Milliseconds(orchestrationLeaseTtl)));
            var activities = session.Defer(ActivityStatements.RenewLeases(workerId, session.Now + Milliseconds(activityLeaseTtl)));
            await session.FlushAsync(ct);
            return Keep(instances.RowsAffected + activities.RowsAffected);
        }, cancellationToken);
    }

    public Task ReleaseLeasesAsync(string workerId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        return WriteAsync([], (session, ct) =>
        {
            foreach (var statement in ReleaseLeaseStatements(workerId, session.Now)) session.Defer(statement);
            return ValueTask.FromResult(Keep(true));
        }, cancellationToken);
    }

    public Task<bool> TryAcquireSingletonAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        return WriteAsync([], async (session, ct) =>
        {
            var holder = await session.QueryAsync(
                MaintenanceStatements.AcquireSingleton(name, owner, session.Now, session.Now + Milliseconds(ttl)), r => r.GetString(0), ct);
            return Keep(holder.Count == 1);
        }, cancellationToken);
    }
}
