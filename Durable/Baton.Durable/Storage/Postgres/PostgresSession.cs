using System.Data;
using System.Data.Common;
using Baton.Durable.Storage.Sql;
using Npgsql;

namespace Baton.Durable.Storage.Postgres;

/// <summary>A PostgreSQL connection. Deferred statements are sent together as one <see cref="NpgsqlBatch"/>, so an
/// episode commit of a dozen statements costs one network round trip.</summary>
internal sealed class PostgresSession(NpgsqlConnection connection) : StoreSession(PostgresDialect.Instance)
{
    const string ClockSql = "(extract(epoch from clock_timestamp()) * 1000)::bigint";

    // Locks every instance row a batch touches in instance-id order before any operation runs: with several writer
    // connections (and several processes), a fixed lock order is what keeps batches from deadlocking.
    const string LockInstancesSql =
        "WITH locked AS (SELECT instance_id FROM dt_instances WHERE instance_id = ANY(@ids) ORDER BY instance_id FOR UPDATE) " +
        "SELECT (SELECT count(*) FROM locked), " + ClockSql;

    NpgsqlTransaction? transaction;
    NpgsqlBatch? pending;
    readonly List<(NpgsqlBatchCommand Command, DeferredResult Result)> pendingResults = [];

    public NpgsqlConnection Connection => connection;

    public override bool IsUsable => connection.FullState == ConnectionState.Open;

    public override async ValueTask<long> ReadClockAsync(CancellationToken cancellationToken) =>
        (await ScalarAsync(new SqlStatement("SELECT " + ClockSql), r => r.GetInt64(0), cancellationToken))!;

    public override async ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        Now = await ReadClockAsync(cancellationToken);
    }

    public override async ValueTask BeginWriteBatchAsync(IReadOnlyCollection<string> instanceIdsToLock, CancellationToken cancellationToken)
    {
        transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        if (instanceIdsToLock.Count == 0)
        {
            Now = await ReadClockAsync(cancellationToken);
            return;
        }
        // Writer connections keep generic plans; this one statement takes a list, so it is planned for its arguments
        // (see PostgresDurableStore). Both SETs travel with it and the first operation: no extra round trip.
        Defer(new SqlStatement("SET LOCAL plan_cache_mode = force_custom_plan"));
        var statement = new SqlStatement(LockInstancesSql).WithList("ids", Dialect.ListValue(instanceIdsToLock));
        Now = (await ScalarAsync(statement, r => r.GetInt64(1), cancellationToken))!;
        Defer(new SqlStatement("SET LOCAL plan_cache_mode TO DEFAULT"));
    }

    public override async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        if (transaction is null) return;
        await transaction.CommitAsync(cancellationToken);
        await transaction.DisposeAsync();
        transaction = null;
    }

    public override async ValueTask TryRollbackAsync()
    {
        DiscardDeferred();
        if (transaction is null) return;
        try
        {
            if (IsUsable) await transaction.RollbackAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The connection is broken; the server rolls the transaction back on its own.
        }
        await transaction.DisposeAsync();
        transaction = null;
    }

    public override async ValueTask<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken)
    {
        var result = Defer(statement);
        await FlushAsync(cancellationToken);
        return result.RowsAffected;
    }

    /// <summary>Runs the query together with the deferred statements, if any, in one round trip: Npgsql's batch reader
    /// skips the results of statements that return no rows and lands on the query's.</summary>
    public override async ValueTask<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var batch = pending ?? new NpgsqlBatch(connection, transaction);
        pending = null;
        batch.BatchCommands.Add(CreateBatchCommand(statement));
        try
        {
            var rows = new List<T>();
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) rows.Add(map(reader));
            }
            foreach (var (command, result) in pendingResults) result.RowsAffected = command.RecordsAffected;
            return rows;
        }
        finally
        {
            pendingResults.Clear();
            await batch.DisposeAsync();
        }
    }

    public override DeferredResult Defer(SqlStatement statement)
    {
        pending ??= new NpgsqlBatch(connection, transaction);
        var command = CreateBatchCommand(statement);
        pending.BatchCommands.Add(command);
        var result = new DeferredResult();
        pendingResults.Add((command, result));
        return result;
    }

    public override async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (pending is null) return;
        var batch = pending;
        pending = null;
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            foreach (var (command, result) in pendingResults) result.RowsAffected = command.RecordsAffected;
        }
        finally
        {
            pendingResults.Clear();
            await batch.DisposeAsync();
        }
    }

    public override void DiscardDeferred()
    {
        pending?.Dispose();
        pending = null;
        pendingResults.Clear();
    }

    public override async ValueTask DisposeAsync()
    {
        DiscardDeferred();
        if (transaction is not null) await transaction.DisposeAsync();
        await connection.DisposeAsync();
    }

    static NpgsqlBatchCommand CreateBatchCommand(SqlStatement statement)
    {
        var translation = PositionalSql.For(statement);
        var command = new NpgsqlBatchCommand(translation.Sql);
        foreach (var name in translation.ParameterNames)
        {
            var parameter = Find(statement, name);
            var value = new NpgsqlParameter { Value = parameter.Value ?? DBNull.Value };
            if (parameter.Type != DbType.Object) value.DbType = parameter.Type;
            command.Parameters.Add(value);
        }
        return command;
    }

    static SqlParameterValue Find(SqlStatement statement, string name)
    {
        foreach (var parameter in statement.Parameters)
        {
            if (parameter.Name == name) return parameter;
        }
        throw new InvalidOperationException($"Statement parameter @{name} has no value.");
    }
}
