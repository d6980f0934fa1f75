namespace Baton.Durable.Storage;

/// <summary>Settings of <see cref="SqliteDurableStore"/> (ENGINE.md §3.14).</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>Path of the database file; its directory is created if missing. One host process per file.</summary>
    public required string DatabasePath { get; set; }

    /// <summary><c>synchronous=FULL</c> (default): every acknowledged commit survives power loss. False selects
    /// <c>NORMAL</c>: faster, and still safe against a process crash, but the last commits may roll back after a power
    /// failure.</summary>
    public bool SynchronousFull { get; set; } = true;

    /// <summary>How long a connection waits for a lock held by another connection.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Group commit: the most write operations committed in one transaction (one fsync).</summary>
    public int MaxWriteBatchSize { get; set; } = 128;

    /// <summary>Read connections (WAL lets them read while the writer commits).</summary>
    public int ReadConnections { get; set; } = 4;

    /// <summary>Memory for the histories of recently run instances (roughly, in bytes), so an instance whose last episode
    /// ran here is claimed without reading its history again. 0 turns the cache off.</summary>
    public long HistoryCacheBytes { get; set; } = 32L * 1024 * 1024;
}
