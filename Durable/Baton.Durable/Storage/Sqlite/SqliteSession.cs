using System.Data.Common;
using Baton.Durable.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Baton.Durable.Storage.Sqlite;

/// <summary>A SQLite connection with a cache of prepared commands keyed by statement text: preparing costs more than
/// executing, and the store runs the same few dozen statements thousands of times a second.</summary>
internal sealed class SqliteSession : StoreSession
{
    const int MaxCachedCommands = 256;

    readonly SqliteConnection connection;
    readonly TimeProvider clock;
    readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    SqliteSession(SqliteConnection connection, TimeProvider clock) : base(SqliteDialect.Instance)
    {
        this.connection = connection;
        this.clock = clock;
    }

    /// <summary>Opens a connection and applies per-connection pragmas (e.g. <c>busy_timeout=5000</c>).</summary>
    public static SqliteSession Open(string databasePath, TimeProvider clock, IEnumerable<string> pragmas)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false, // the store owns its few connections; closing must really release the file
        }.ToString();
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        var session = new SqliteSession(connection, clock);
        foreach (var pragma in pragmas)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA " + pragma;
            command.ExecuteNonQuery();
        }
        return session;
    }

    public override bool IsUsable => connection.State == System.Data.ConnectionState.Open;

    public override ValueTask<long> ReadClockAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult(clock.GetUtcNow().ToUnixTimeMilliseconds());

    public override ValueTask BeginAsync(CancellationToken cancellationToken)
    {
        // IMMEDIATE takes the write lock up front: no lock upgrade (and no SQLITE_BUSY) halfway through.
        Run("BEGIN IMMEDIATE");
        Now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        return ValueTask.CompletedTask;
    }

    public override ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        Run("COMMIT");
        return ValueTask.CompletedTask;
    }

    public override ValueTask TryRollbackAsync()
    {
        if (IsUsable && SQLitePCL.raw.sqlite3_get_autocommit(connection.Handle) == 0) Run("ROLLBACK");
        return ValueTask.CompletedTask;
    }

    public override ValueTask<int> ExecuteAsync(SqlStatement statement, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Prepare(statement).ExecuteNonQuery());

    public override ValueTask<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        using var reader = Prepare(statement).ExecuteReader();
        while (reader.Read()) rows.Add(map(reader));
        return ValueTask.FromResult(rows);
    }

    // SQLite is in-process: there is no round trip to save, so deferred statements run at once.
    public override DeferredResult Defer(SqlStatement statement) => new() { RowsAffected = Prepare(statement).ExecuteNonQuery() };

    public override ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public override void DiscardDeferred() { }

    public override ValueTask DisposeAsync()
    {
        foreach (var command in commands.Values) command.Dispose();
        commands.Clear();
        connection.Dispose();
        return ValueTask.CompletedTask;
    }

    void Run(string sql) => Prepare(new SqlStatement(sql)).ExecuteNonQuery();

    SqliteCommand Prepare(SqlStatement statement)
    {
        if (!commands.TryGetValue(statement.Text, out var command))
        {
            if (commands.Count >= MaxCachedCommands) ClearCache();
            command = connection.CreateCommand();
            command.CommandText = statement.Text;
            commands.Add(statement.Text, command);
        }
        var parameters = command.Parameters;
        var values = statement.Parameters;
        if (!HasParametersOf(parameters, values))
        {
            parameters.Clear();
            // Name parameters exactly as the SQL does ("@id"): Microsoft.Data.Sqlite looks each one up by the given
            // name on every execution and, for a bare "id", first misses and then probes the @, : and $ prefixes.
            foreach (var parameter in values) parameters.AddWithValue("@" + parameter.Name, parameter.Value ?? DBNull.Value);
            return command;
        }
        // The cached command already has these parameters (the same statement built the same way, nearly always):
        // only the values change, so no parameter objects or names are made again on the writer's thread.
        for (var i = 0; i < values.Count; i++) parameters[i].Value = values[i].Value ?? DBNull.Value;
        return command;
    }

    /// <summary>True when <paramref name="parameters"/> are named, in order, as <paramref name="values"/> ("@" + name).</summary>
    static bool HasParametersOf(SqliteParameterCollection parameters, List<SqlParameterValue> values)
    {
        if (parameters.Count != values.Count) return false;
        for (var i = 0; i < values.Count; i++)
        {
            var name = parameters[i].ParameterName;
            var expected = values[i].Name;
            if (name.Length != expected.Length + 1 || !name.AsSpan(1).SequenceEqual(expected)) return false;
        }
        return true;
    }

    void ClearCache()
    {
        foreach (var command in commands.Values) command.Dispose();
        commands.Clear();
    }
}
