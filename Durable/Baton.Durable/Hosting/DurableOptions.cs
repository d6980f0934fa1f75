namespace Baton.Durable.Hosting;

/// <summary>
/// Engine settings. Bound from configuration section <c>Durable</c> (environment <c>Durable__Provider</c>,
/// <c>Durable__ConnectionString</c>, …); host.json's <c>extensions:durableTask</c> maps onto it too.
/// </summary>
public sealed class DurableOptions
{
    public const string SectionName = "Durable";

    /// <summary><c>Sqlite</c> (embedded default), <c>Postgres</c>, or <c>AzureStorage</c> (DTFx's Azure Storage provider,
    /// Durable Functions' standard backend; its connection string is a storage account's, or Azurite's).</summary>
    public string Provider { get; set; } = "Sqlite";

    /// <summary>AzureStorage only: the task hub (its queues, tables and containers are named after it; 3–45 letters and
    /// digits).</summary>
    public string TaskHub { get; set; } = "baton";

    /// <summary>SQLite: a file path or <c>Data Source=path</c> (default <c>./.baton/baton.db</c>). Postgres: an Npgsql
    /// connection string (required).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite only: fsync every commit (power-loss durable). False trades that for speed.</summary>
    public bool SqliteSynchronousFull { get; set; } = true;

    /// <summary>Postgres only: the schema holding the engine's tables.</summary>
    public string PostgresSchema { get; set; } = "baton";

    /// <summary>Identifies this process in leases. Default: host name, process id and a random suffix.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Activities that orchestrations call but that this process's worker never runs: an external claimer
    /// takes them from the store by name (<see cref="Storage.ActivityNameFilter.Only"/>), as Baton's runner broker does
    /// with agent jobs. The worker neither claims nor fails them.</summary>
    public ISet<string> RemoteActivities { get; } = new HashSet<string>(StringComparer.Ordinal);

    public int MaxConcurrentOrchestrations { get; set; } = 256;
    public int MaxConcurrentActivities { get; set; } = 256;

    /// <summary>Instances claimed per poll.</summary>
    public int OrchestrationClaimBatch { get; set; } = 128;
    /// <summary>Activities claimed per poll.</summary>
    public int ActivityClaimBatch { get; set; } = 128;
    /// <summary>Inbox rows one episode may apply.</summary>
    public int MaxMessagesPerEpisode { get; set; } = 200;
    /// <summary>Memory for the histories of recently run instances, so their next episode reads none. 0 turns it off.</summary>
    public int HistoryCacheMegabytes { get; set; } = 32;

    /// <summary>How long a claim holds an instance or an activity without being renewed: how soon another host takes
    /// over a dead one's work. A live host renews its leases a third of a lease apart, so this bounds takeover, not how
    /// long work may run.</summary>
    public TimeSpan OrchestrationLeaseTtl { get; set; } = TimeSpan.FromSeconds(6);
    public TimeSpan ActivityLeaseTtl { get; set; } = TimeSpan.FromSeconds(6);

    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Callers first: while callers' writes (starts, raised events) saturate the store's writer, the dispatcher
    /// waits up to this long before it claims more orchestration work, and then claims a few instances at a time, so a
    /// burst of requests is answered at full speed and its orchestrations run once it eases. Zero turns it off.</summary>
    public TimeSpan CallerPriorityWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A message or activity claimed more often than this is poison and is quarantined.</summary>
    public int MaxDequeueCount { get; set; } = 20;

    public HistoryLimitOptions Limits { get; set; } = new();
    public RetentionOptions Retention { get; set; } = new();
}

/// <summary>Guards against runaway histories and payloads (Temporal's defaults).</summary>
public sealed class HistoryLimitOptions
{
    public int WarnHistoryEvents { get; set; } = 10_240;
    public int MaxHistoryEvents { get; set; } = 51_200;
    public long WarnHistoryBytes { get; set; } = 10L * 1024 * 1024;
    public long MaxHistoryBytes { get; set; } = 50L * 1024 * 1024;
    public int WarnPayloadBytes { get; set; } = 256 * 1024;
    public int MaxPayloadBytes { get; set; } = 2 * 1024 * 1024;
}

/// <summary>Built-in retention: terminal instances older than these are purged by one replica at a time, and event
/// dedupe keys older than <see cref="MessageKeys"/> are forgotten.</summary>
public sealed class RetentionOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan Completed { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan Terminated { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan Failed { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How long a raised event's idempotency key is remembered (a repeat within it is a no-op), also for
    /// instances that never finish.</summary>
    public TimeSpan MessageKeys { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan Interval { get; set; } = TimeSpan.FromMinutes(5);
}
