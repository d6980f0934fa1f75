using System.Text;
using Baton.Durable.History;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage;

public abstract partial class SqlDurableStore
{
    public Task<CreateResult> CreateInstanceAsync(NewInstance instance, IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(dedupeStatuses);
        return WriteAsync([instance.InstanceId], (session, ct) => CreateInstanceAsync(session, instance, dedupeStatuses, ct), cancellationToken,
            forCaller: true);
    }

    async ValueTask<OperationResult<CreateResult>> CreateInstanceAsync(StoreSession session, NewInstance instance,
        IReadOnlyCollection<OrchestrationRuntimeStatus> dedupeStatuses, CancellationToken cancellationToken)
    {
        var holders = await session.QueryAsync(InstanceStatements.Lookup(instance.InstanceId, instance.IdempotencyKey),
            r => (Id: r.GetString(0), Status: ParseStatus(r.GetString(1)), Key: InstanceRows.NullableString(r, 2)), cancellationToken);
        if (instance.IdempotencyKey is { } key && holders.FirstOrDefault(h => h.Key == key) is { Id: not null } replay)
            return Keep(new CreateResult(CreateOutcome.IdempotentReplay, replay.Id, replay.Status));

        if (holders.FirstOrDefault(h => h.Id == instance.InstanceId) is { Id: not null } existing)
        {
            if (dedupeStatuses.Contains(existing.Status))
                return Keep(new CreateResult(CreateOutcome.AlreadyExists, existing.Id, existing.Status));
            foreach (var statement in Sql.Maintenance.DeleteInstanceRows([existing.Id])) session.Defer(statement);
        }

        var inserted = DeferInsertInstance(session, instance);
        // Nothing inserted: a concurrent start took the id or the key after we looked; look again and report it.
        return AfterFlush(() => inserted.RowsAffected == 1
            ? Keep(new CreateResult(CreateOutcome.Created, instance.InstanceId))
            : OperationResult<CreateResult>.RunAgain());
    }

    public Task<EnqueueResult> EnqueueMessageAsync(string instanceId, HistoryEvent message, string? dedupeKey = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentNullException.ThrowIfNull(message);
        return WriteAsync([instanceId], async (session, ct) =>
        {
            // With a key, the usual case costs no read: the key goes in only for a live instance, so no row inserted
            // means a repeat or no live instance, and only then is the status read to tell which.
            if (dedupeKey is not null && await session.ExecuteAsync(InboxStatements.InsertKeyForLive(instanceId, dedupeKey, session.Now), ct) == 0)
            {
                var status = await StatusAsync(session, instanceId, ct);
                return Keep(Refusal(status) ?? new EnqueueResult(EnqueueOutcome.Duplicate, status));
            }
            if (dedupeKey is null && Refusal(await StatusAsync(session, instanceId, ct)) is { } refused) return Keep(refused);

            session.Defer(InboxStatements.InsertForLive(instanceId, null, message, session.Now, session.Now, dedupeKey));
            session.Defer(InboxStatements.BumpLive(instanceId, null, session.Now));
            return Keep(new EnqueueResult(EnqueueOutcome.Enqueued));
        }, cancellationToken, forCaller: true);
    }

    static EnqueueResult? Refusal(OrchestrationRuntimeStatus? status) => status switch
    {
        null => new EnqueueResult(EnqueueOutcome.NotFound),
        { } s when s.IsTerminal() => new EnqueueResult(EnqueueOutcome.Terminal, s),
        _ => null,
    };

    public Task<InstanceRecord?> GetInstanceAsync(string instanceId, bool includePayloads, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return ReadAsync((session, ct) => session.ScalarAsync(InstanceStatements.Get(instanceId, includePayloads), InstanceRows.Read, ct),
            cancellationToken);
    }

    public async Task<InstancePage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        var after = query.ContinuationToken is null ? ((long, string)?)null : DecodeContinuation(query.ContinuationToken);
        var rows = await ReadAsync((session, ct) => session.QueryAsync(Sql.Instances.Page(query, after), InstanceRows.Read, ct),
            cancellationToken);
        if (rows.Count <= query.PageSize) return new InstancePage(rows, null);
        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new InstancePage(rows, EncodeContinuation(EpochMs.From(last.CreatedAt), last.InstanceId));
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return await ReadAsync((session, ct) => session.QueryAsync(HistoryStatements.Current(instanceId), r => HistoryStatements.Read(r, 0), ct),
            cancellationToken);
    }

    public Task<StoreCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        ReadAsync(async (session, ct) => (await session.ScalarAsync(new SqlStatement(MaintenanceStatements.CountsSql),
            r => new StoreCounts(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)), ct))!, cancellationToken);

    private protected static async ValueTask<OrchestrationRuntimeStatus?> StatusAsync(StoreSession session, string instanceId,
        CancellationToken cancellationToken) =>
        (await session.QueryAsync(InstanceStatements.Status(instanceId), r => ParseStatus(r.GetString(0)), cancellationToken))
            is [var status] ? status : null;

    // The continuation is the last row's keyset position; opaque to callers.
    static string EncodeContinuation(long createdAt, string instanceId) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{createdAt}:{instanceId}"));

    static (long CreatedAt, string InstanceId) DecodeContinuation(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var separator = text.IndexOf(':', StringComparison.Ordinal);
            return (long.Parse(text.AsSpan(0, separator), System.Globalization.CultureInfo.InvariantCulture), text[(separator + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new ArgumentException("The continuation token is not one this store issued.", nameof(token), e);
        }
    }
}
