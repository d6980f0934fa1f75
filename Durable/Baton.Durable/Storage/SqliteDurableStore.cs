using System.Globalization;
using Baton.Durable.Storage.Sql;
using Baton.Durable.Storage.Sqlite;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Storage;

/// <summary>
/// The embedded store: one SQLite file used by one process (ENGINE.md §3.14). WAL mode, <c>synchronous=FULL</c> by
/// default, one writer connection doing group commit (claims included), a few read connections and a checkpointing one.
/// </summary>
/// <remarks>
/// Opening (on first use) takes an exclusive lock on <c>&lt;db&gt;.lock</c> — a second process gets a
/// <see cref="StoreInUseException"/> — and then clears every lease in the file, since any lease found there belongs to
/// a process that is gone. "Now" is this process's clock (<see cref="TimeProvider"/>).
/// </remarks>
public sealed class SqliteDurableStore : SqlDurableStore
{
    readonly SqliteStoreOptions options;
    readonly TimeProvider clock;
    readonly SemaphoreSlim gate = new(1, 1);
    volatile OpenStore? open;
    bool disposed;

    public SqliteDurableStore(SqliteStoreOptions options, ILogger<SqliteDurableStore>? logger = null, TimeProvider? timeProvider = null)
        : base(SqliteDialect.Instance, logger, options?.HistoryCacheBytes ?? 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.DatabasePath);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWriteBatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReadConnections, 1);
        this.options = options;
        clock = timeProvider ?? TimeProvider.System;
    }

    public override string ProviderName => "Sqlite";

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => Path.GetFullPath(options.DatabasePath);

    public override Task MigrateAsync(CancellationToken cancellationToken = default) =>
        WriteAsync([], async (session, ct) => OperationResult<int>.Keep(await MigrationRunner.ApplyAsync(session, Logger, ct)), cancellationToken);

    private protected override async ValueTask<GroupCommitWriter> GetWriterAsync(CancellationToken cancellationToken) =>
        (await OpenAsync(cancellationToken)).Writer;

    private protected override async Task<T> ReadAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken) =>
        await (await OpenAsync(cancellationToken)).Readers.RunAsync(read, cancellationToken);

    // One process, one writer: a claim is simply one more operation of the group commit.
    private protected override Task<T> ClaimAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> claim,
        CancellationToken cancellationToken) =>
        WriteAsync([], async (session, ct) => OperationResult<T>.Keep(await claim(session, ct)), cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (disposed) return;
            disposed = true;
            if (open is { } store)
            {
                await store.Checkpointer.DisposeAsync();
                await store.Writer.DisposeAsync();
                await store.Readers.DisposeAsync();
                store.FileLock.Dispose();
            }
        }
        finally
        {
            gate.Release();
        }
    }

    async ValueTask<OpenStore> OpenAsync(CancellationToken cancellationToken)
    {
        if (open is { } store) return store;
        await gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return open ??= await OpenCoreAsync(cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    async Task<OpenStore> OpenCoreAsync(CancellationToken cancellationToken)
    {
        SQLitePCL.Batteries_V2.Init();
        var path = DatabasePath;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var fileLock = SqliteFileLock.Acquire(path);
        try
        {
            await ClearLeasesAsync(path, cancellationToken);
            var writer = new GroupCommitWriter(
                _ => ValueTask.FromResult<StoreSession>(SqliteSession.Open(path, clock, WriterPragmas())),
                new GroupCommitSettings(Writers: 1, options.MaxWriteBatchSize, MaxTransientRetries: 3, OwnThreads: true), Logger, Load);
            var readers = new SqliteReaderPool(() => SqliteSession.Open(path, clock, ReaderPragmas()), options.ReadConnections);
            var checkpointer = new SqliteCheckpointer(() => SqliteSession.Open(path, clock, [BusyTimeoutPragma()]), Logger);
            return new OpenStore(fileLock, writer, readers, checkpointer);
        }
        catch
        {
            fileLock.Dispose();
            throw;
        }
    }

    /// <summary>We hold the file lock, so every lease in the file is from a process that died: release them all.</summary>
    async Task ClearLeasesAsync(string path, CancellationToken cancellationToken)
    {
        await using var session = SqliteSession.Open(path, clock, WriterPragmas());
        var tables = await session.QueryAsync(new SqlStatement(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'dt_instances'"), r => r.GetInt64(0), cancellationToken);
        if (tables[0] == 0) return;
        await session.BeginAsync(cancellationToken);
        foreach (var statement in ReleaseLeaseStatements(null, session.Now)) await session.ExecuteAsync(statement, cancellationToken);
        await session.CommitAsync(cancellationToken);
        StorageLog.SqliteOpened(Logger, path);
    }

    IEnumerable<string> WriterPragmas() =>
    [
        "journal_mode = WAL",
        // FULL fsyncs the WAL on every commit; group commit is what makes that affordable.
        options.SynchronousFull ? "synchronous = FULL" : "synchronous = NORMAL",
        BusyTimeoutPragma(),
        "temp_store = MEMORY",
        "foreign_keys = OFF",
        "cache_size = -32000",
        // SqliteCheckpointer copies the WAL back from a thread of its own; the writer's checkpoint is only the backstop.
        $"wal_autocheckpoint = {SqliteCheckpointer.WriterBackstopPages}",
        "journal_size_limit = 67108864",
    ];

    IEnumerable<string> ReaderPragmas() => [BusyTimeoutPragma(), "temp_store = MEMORY", "query_only = ON"];

    string BusyTimeoutPragma() =>
        "busy_timeout = " + ((long)options.BusyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    sealed record OpenStore(SqliteFileLock FileLock, GroupCommitWriter Writer, SqliteReaderPool Readers, SqliteCheckpointer Checkpointer);
}
