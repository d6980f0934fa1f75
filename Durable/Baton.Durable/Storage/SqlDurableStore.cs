using System.Data.Common;
using Baton.Durable.Storage.Sql;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Durable.Storage;

/// <summary>
/// The semantics of <see cref="IDurableStore"/> written once over ADO.NET, shared by <see cref="SqliteDurableStore"/>
/// and <see cref="PostgresDurableStore"/>. A provider decides only how connections are opened, how claims and reads
/// run, and how migrations are made exclusive; the SQL differences live in its dialect.
/// </summary>
/// <remarks>
/// Every write goes through a <see cref="GroupCommitWriter"/>: many operations share one transaction (and one fsync),
/// each inside its own savepoint. Claims run as short transactions of their own on PostgreSQL and through the single
/// writer on SQLite.
/// </remarks>
public abstract partial class SqlDurableStore : IDurableStore
{
    private protected SqlDurableStore(SqlDialect dialect, ILogger? logger, long historyCacheBytes)
    {
        Sql = new StoreSql(dialect);
        Logger = logger ?? NullLogger.Instance;
        Histories = new HistoryCache(historyCacheBytes);
    }

    private protected StoreSql Sql { get; }

    private protected ILogger Logger { get; }

    /// <summary>Histories of recently run instances, so their next claim reads none.</summary>
    private protected HistoryCache Histories { get; }

    public abstract string ProviderName { get; }

    public abstract Task MigrateAsync(CancellationToken cancellationToken = default);

    public abstract ValueTask DisposeAsync();

    /// <summary>The writer, started on first use.</summary>
    private protected abstract ValueTask<GroupCommitWriter> GetWriterAsync(CancellationToken cancellationToken);

    /// <summary>Runs a read outside any write transaction.</summary>
    private protected abstract Task<T> ReadAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken);

    /// <summary>Runs a claim as one transaction; <see cref="StoreSession.Now"/> is set.</summary>
    private protected abstract Task<T> ClaimAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> claim,
        CancellationToken cancellationToken);

    /// <summary>Queues a write for the group-commit writer; completes once its batch has committed.</summary>
    /// <param name="forCaller">A caller waits on this write (see <see cref="WriterLoad"/>).</param>
    private protected async Task<T> WriteAsync<T>(IReadOnlyCollection<string> instanceIds,
        Func<StoreSession, CancellationToken, ValueTask<OperationResult<T>>> body, CancellationToken cancellationToken,
        bool forCaller = false)
    {
        var writer = await GetWriterAsync(cancellationToken);
        return await writer.RunAsync(instanceIds, body, cancellationToken, forCaller);
    }

    /// <summary>How busy the writer is and with whose work; handed to the writer this store builds.</summary>
    private protected WriterLoad Load { get; } = new();

    public bool CallersSaturateWriter => Load.CallersSaturateWriter;

    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await ReadAsync((session, ct) => new ValueTask<bool>(MigrationRunner.IsCurrentAsync(session, ct)), cancellationToken);
        }
        catch (DbException)
        {
            return false;
        }
    }

    /// <summary>Statements that end leases of <paramref name="workerId"/> (of everyone when null) so the work is
    /// claimable at once.</summary>
    private protected static IEnumerable<SqlStatement> ReleaseLeaseStatements(string? workerId, long now) =>
    [
        InstanceStatements.ReleaseLeases(workerId),
        ActivityStatements.ReleaseLeases(workerId, now),
        MaintenanceStatements.ReleaseSingletons(workerId),
    ];

    private protected static OrchestrationRuntimeStatus ParseStatus(string value) => Enum.Parse<OrchestrationRuntimeStatus>(value);

    static long Milliseconds(TimeSpan duration) => EpochMs.From(duration);

    static OperationResult<T> Keep<T>(T value) => OperationResult<T>.Keep(value);

    static OperationResult<T> RollBack<T>(T value) => OperationResult<T>.RollBack(value);

    /// <summary>The verdict once the batch's deferred statements ran (see <see cref="OperationResult{T}.AfterFlush"/>);
    /// <paramref name="onError"/> settles on an error it recognises (null: the error stands).</summary>
    static OperationResult<T> AfterFlush<T>(Func<OperationResult<T>> settle, Func<Exception, OperationResult<T>?>? onError = null) =>
        OperationResult<T>.AfterFlush(error =>
        {
            if (error is null) return settle();
            if (onError?.Invoke(error) is { } settled) return settled;
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            return default;
        });
}
