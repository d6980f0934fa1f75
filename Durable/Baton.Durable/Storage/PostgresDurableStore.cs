using System.Text.RegularExpressions;
using Baton.Durable.Storage.Postgres;
using Baton.Durable.Storage.Sql;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Baton.Durable.Storage;

/// <summary>
/// The shared store: any number of host processes on one PostgreSQL database (ENGINE.md §3.14). READ COMMITTED,
/// claims as single <c>UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING</c> statements, "now" is always
/// the database clock, and writes go through a few batching writer connections (group commit) that lock the instance
/// rows of a batch in id order and retry deadlock/serialization failures with jitter.
/// </summary>
public sealed partial class PostgresDurableStore : SqlDurableStore
{
    readonly PostgresStoreOptions options;
    // Two pools: writers run the same single-row statements thousands of times a second and keep PostgreSQL's cached
    // generic plans; claims and reads take lists of ids, where a generic plan made while a table was small (a fresh or
    // fast-growing database) would keep seq-scanning it, so they are planned for their actual arguments every time.
    readonly NpgsqlDataSource writerSource;
    readonly NpgsqlDataSource readerSource;
    readonly Lazy<GroupCommitWriter> writer;
    bool disposed;

    public PostgresDurableStore(PostgresStoreOptions options, ILogger<PostgresDurableStore>? logger = null)
        : base(PostgresDialect.Instance, logger, options?.HistoryCacheBytes ?? 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.ConnectionString);
        if (!SchemaName().IsMatch(options.Schema))
            throw new ArgumentException($"Schema '{options.Schema}' must be lower-case letters, digits and underscores.", nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.WriterConnections, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWriteBatchSize, 1);
        this.options = options;

        writerSource = BuildDataSource(options, customPlans: false);
        readerSource = BuildDataSource(options, customPlans: true);

        writer = new Lazy<GroupCommitWriter>(() => new GroupCommitWriter(
            async ct => new PostgresSession(await writerSource.OpenConnectionAsync(ct)),
            new GroupCommitSettings(options.WriterConnections, options.MaxWriteBatchSize, options.MaxTransientRetries),
            Logger, Load));
    }

    public override string ProviderName => "Postgres";

    /// <summary>Creates the schema if missing and applies missing migrations, under a transaction-scoped advisory lock
    /// so that hosts starting together migrate one after the other.</summary>
    public override async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var session = new PostgresSession(await writerSource.OpenConnectionAsync(cancellationToken));
        await session.BeginAsync(cancellationToken);
        await session.QueryAsync(new SqlStatement("SELECT pg_advisory_xact_lock(hashtext(@key))")
            .With("key", "baton.durable.migrate:" + options.Schema), _ => 0, cancellationToken);
        await session.ExecuteAsync(new SqlStatement($"CREATE SCHEMA IF NOT EXISTS {options.Schema}"), cancellationToken);
        await session.ExecuteAsync(new SqlStatement($"SET LOCAL search_path TO {options.Schema}"), cancellationToken);
        await MigrationRunner.ApplyAsync(session, Logger, cancellationToken);
        await session.CommitAsync(cancellationToken);
    }

    private protected override ValueTask<GroupCommitWriter> GetWriterAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        return ValueTask.FromResult(writer.Value);
    }

    private protected override Task<T> ReadAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> read,
        CancellationToken cancellationToken) =>
        WithRetriesAsync(async ct =>
        {
            await using var session = new PostgresSession(await readerSource.OpenConnectionAsync(ct));
            return await read(session, ct);
        }, cancellationToken);

    private protected override Task<T> ClaimAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> claim,
        CancellationToken cancellationToken) =>
        WithRetriesAsync(async ct =>
        {
            await using var session = new PostgresSession(await readerSource.OpenConnectionAsync(ct));
            await session.BeginAsync(ct);
            try
            {
                var claimed = await claim(session, ct);
                await session.CommitAsync(ct);
                return claimed;
            }
            catch
            {
                await session.TryRollbackAsync();
                throw;
            }
        }, cancellationToken);

    public override async ValueTask DisposeAsync()
    {
        if (disposed) return;
        disposed = true;
        if (writer.IsValueCreated) await writer.Value.DisposeAsync();
        await writerSource.DisposeAsync();
        await readerSource.DisposeAsync();
    }

    static NpgsqlDataSource BuildDataSource(PostgresStoreOptions options, bool customPlans)
    {
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.SearchPath = options.Schema;
        // The store runs a few dozen statements over and over: let Npgsql prepare them server-side.
        if (settings.MaxAutoPrepare == 0) settings.MaxAutoPrepare = 128;
        // Sessions carry no state worth resetting; skipping DISCARD ALL keeps prepared statements across pool returns.
        settings.NoResetOnClose = true;
        var serverOptions = new List<string>();
        if (!string.IsNullOrWhiteSpace(settings.Options)) serverOptions.Add(settings.Options);
        if (!options.SynchronousCommit) serverOptions.Add("-c synchronous_commit=off");
        if (customPlans) serverOptions.Add("-c plan_cache_mode=force_custom_plan");
        settings.Options = string.Join(' ', serverOptions);
        return builder.Build();
    }

    async Task<T> WithRetriesAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception e) when (PostgresDialect.Instance.IsTransient(e) && attempt <= options.MaxTransientRetries)
            {
                StorageLog.ReadRetried(Logger, e, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * attempt), cancellationToken);
            }
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex SchemaName();
}
