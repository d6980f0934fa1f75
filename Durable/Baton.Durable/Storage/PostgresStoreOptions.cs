namespace Baton.Durable.Storage;

/// <summary>Settings of <see cref="PostgresDurableStore"/> (ENGINE.md §3.14).</summary>
public sealed class PostgresStoreOptions
{
    /// <summary>An Npgsql connection string. Pool size should cover the writer connections plus concurrent claims and reads.</summary>
    public required string ConnectionString { get; set; }

    /// <summary>The schema holding the engine's tables (created by <see cref="IDurableStore.MigrateAsync"/>); one per task hub.
    /// Lower-case letters, digits and underscores.</summary>
    public string Schema { get; set; } = "baton";

    /// <summary>Group commit: connections that each commit batches of write operations.</summary>
    public int WriterConnections { get; set; } = 3;

    /// <summary>Group commit: the most write operations in one transaction. Kept under PostgreSQL's 64 cached
    /// subtransactions per backend, since each operation runs in a savepoint.</summary>
    public int MaxWriteBatchSize { get; set; } = 32;

    /// <summary>How often an operation that hit a deadlock or serialization failure (40P01/40001) is retried.</summary>
    public int MaxTransientRetries { get; set; } = 5;

    /// <summary>False sets <c>synchronous_commit=off</c>: much faster commits, but a crash of the database server can
    /// lose the last few hundred milliseconds of acknowledged work. Documented trade-off; off by default.</summary>
    public bool SynchronousCommit { get; set; } = true;

    /// <summary>Memory for the histories of recently run instances (roughly, in bytes), so an instance whose last episode
    /// ran here is claimed without reading its history again. 0 turns the cache off.</summary>
    public long HistoryCacheBytes { get; set; } = 32L * 1024 * 1024;
}
