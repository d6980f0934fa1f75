using System.Data.Common;

namespace Baton.Durable.Storage.Sql;

/// <summary>
/// One database connection as the store's SQL code sees it: immediate statements, deferred statements (sent together
/// at the next flush: one round trip on PostgreSQL, executed at once on SQLite), transactions and savepoints, and
/// the transaction's "now" in epoch milliseconds.
/// </summary>
internal abstract class StoreSession(SqlDialect dialect) : IAsyncDisposable
{
    public SqlDialect Dialect { get; } = dialect;

    /// <summary>The store's clock for the current transaction (the database clock on PostgreSQL).</summary>
    public long Now { get; protected set; }

    /// <summary>Reads the store's clock; on PostgreSQL this is a query.</summary>
    public abstract ValueTask<long> ReadClockAsync(CancellationToken cancellationToken);

    /// <summary>Starts a transaction and sets <see cref="Now"/>.</summary>
    public abstract ValueTask BeginAsync(CancellationToken cancellationToken);

    /// <summary>Starts a group-commit transaction. PostgreSQL also locks the instance rows the batch will touch, in
    /// sorted order, so that batches on different connections cannot deadlock on them (ENGINE.md §3.4).</summary>
    public virtual ValueTask BeginWriteBatchAsync(IReadOnlyCollection<string> instanceIdsToLock, CancellationToken cancellationToken) =>
        BeginAsync(cancellationToken);

    public abstract ValueTask CommitAsync(CancellationToken cancellationToken);

    /// <summary>Rolls back the open transaction, if any, without throwing.</summary>
    public abstract ValueTask TryRollbackAsync();

    /// <summary>True when the connection can still be used after an error.</summary>
    public abstract bool IsUsable { get; }

    public abstract ValueTask<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken);

    public abstract ValueTask<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken);

    /// <summary>Queues a statement whose result is only needed as a row count. Errors surface at the latest at
    /// <see cref="FlushAsync"/>.</summary>
    public abstract DeferredResult Defer(SqlStatement statement);

    public abstract ValueTask FlushAsync(CancellationToken cancellationToken);

    /// <summary>Drops queued statements after an error.</summary>
    public abstract void DiscardDeferred();

    public void Savepoint(string name) => Defer(new SqlStatement("SAVEPOINT " + name));

    public void ReleaseSavepoint(string name) => Defer(new SqlStatement("RELEASE SAVEPOINT " + name));

    public async ValueTask RollbackToSavepointAsync(string name, CancellationToken cancellationToken)
    {
        DiscardDeferred();
        await ExecuteAsync(new SqlStatement("ROLLBACK TO SAVEPOINT " + name), cancellationToken);
    }

    public async ValueTask<T?> ScalarAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(statement, map, cancellationToken);
        return rows.Count == 0 ? default : rows[0];
    }

    public abstract ValueTask DisposeAsync();
}
