using Baton.Durable.History;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage;

public abstract partial class SqlDurableStore
{
    public async Task<IReadOnlyList<ActivityWorkItem>> ClaimActivitiesAsync(string workerId, int max, TimeSpan leaseTtl,
        ActivityNameFilter? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        filter ??= ActivityNameFilter.All;
        if (filter.MatchesNothing) return [];
        var claimed = await ClaimAsync((session, ct) => session.QueryAsync(
            Sql.Activities.Claim(workerId, max, session.Now, session.Now + Milliseconds(leaseTtl), filter), ActivityStatements.Read, ct),
            cancellationToken);
        return claimed.OrderBy(a => a.Id).ToList();
    }

    public Task<ActivityWorkItem?> GetActivityAsync(long id, CancellationToken cancellationToken = default) =>
        ReadAsync((session, ct) => session.ScalarAsync(ActivityStatements.Get(id), ActivityStatements.Read, ct), cancellationToken);

    public async Task<IReadOnlyList<ActivityRecord>> ListActivitiesAsync(string name, int max, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return await ReadAsync((session, ct) => session.QueryAsync(ActivityStatements.List(name, max), ActivityStatements.ReadRecord, ct),
            cancellationToken);
    }

    public Task<bool> RenewActivityLeaseAsync(ActivityWorkItem workItem, TimeSpan leaseTtl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return WriteAsync([], (session, _) =>
        {
            var renewed = session.Defer(ActivityStatements.Renew(workItem, session.Now + Milliseconds(leaseTtl)));
            return ValueTask.FromResult(AfterFlush(() => Keep(renewed.RowsAffected == 1)));
        }, cancellationToken);
    }

    public Task<bool> CompleteActivityAsync(ActivityWorkItem workItem, HistoryEvent result, string? quarantineReason = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        ArgumentNullException.ThrowIfNull(result);
        return WriteAsync([workItem.InstanceId], (session, _) =>
        {
            if (quarantineReason is not null) session.Defer(ActivityStatements.Quarantine(workItem, quarantineReason, session.Now));
            var deleted = session.Defer(ActivityStatements.Delete(workItem));
            // The result reaches the instance only if it is still live and on the execution that scheduled the activity.
            session.Defer(InboxStatements.InsertForLive(workItem.InstanceId, workItem.ExecutionId, result, session.Now, session.Now));
            session.Defer(InboxStatements.BumpLive(workItem.InstanceId, workItem.ExecutionId, session.Now));
            // Not our lease (any more): someone else completed it or owns it; discard this result.
            return ValueTask.FromResult(AfterFlush(() => deleted.RowsAffected == 1 ? Keep(true) : RollBack(false)));
        }, cancellationToken);
    }

    public Task AbandonActivityAsync(ActivityWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return WriteAsync([], (session, _) =>
        {
            session.Defer(ActivityStatements.Abandon(workItem, session.Now + Milliseconds(retryAfter)));
            return ValueTask.FromResult(AfterFlush(() => Keep(true)));
        }, cancellationToken);
    }
}
