using Baton.Durable.Hosting;
using Baton.Durable.Storage;
using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Durable.Provider;

/// <summary>
/// Baton's SQLite and PostgreSQL storage as a Durable Task storage provider: DTFx's <see cref="IOrchestrationService"/>
/// (what a worker's dispatchers claim, renew, complete and abandon) and <see cref="IOrchestrationServiceClient"/> (start,
/// raise, terminate, query, purge) over one <see cref="IDurableStore"/>. Replay is DTFx's; storage is ENGINE.md §3: one
/// fenced transaction per episode, group commit, leases, batched claims, the history cache, poison quarantine.
/// </summary>
/// <remarks>
/// Any DTFx host can run on it: <c>TaskHubWorker</c>/<c>TaskHubClient</c>, the Durable Task SDK worker and client
/// (<see cref="BatonDurableTaskWorker"/>, <see cref="BatonDurableTaskClient"/>), the gRPC sidecar
/// (<c>TaskHubGrpcServer</c>) or the Durable Functions extension's durability provider.
/// </remarks>
public sealed partial class BatonOrchestrationService :
    IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient, IOrchestrationServicePurgeClient,
    IAsyncDisposable
{
    readonly IDurableStore store;
    readonly bool ownsStore;
    readonly DurableOptions settings;
    readonly ILogger logger;
    readonly TimeProvider time;
    readonly WorkSignals signals = new();
    readonly WorkItemSource<OrchestrationWorkItem> orchestrations;
    readonly WorkItemSource<ActivityWorkItem> activities;
    readonly SemaphoreSlim migrated = new(1, 1);
    bool isMigrated;
    CancellationTokenSource? stopHeartbeat;
    Task? heartbeat;

    /// <summary>
    /// Builds the provider for <paramref name="provider"/> (<c>Sqlite</c> or <c>Postgres</c>) on
    /// <paramref name="connectionString"/> (SQLite: a path or <c>Data Source=path</c>; PostgreSQL: an Npgsql connection
    /// string). The returned object is both the <see cref="IOrchestrationService"/> and the
    /// <see cref="IOrchestrationServiceClient"/>; it owns the store and closes it when disposed.
    /// </summary>
    public static BatonOrchestrationService Create(string provider, string connectionString, DurableOptions? options = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(provider);
        loggerFactory ??= NullLoggerFactory.Instance;
        var settings = options ?? new DurableOptions();
        settings.Provider = provider;
        settings.ConnectionString = connectionString;
        return new BatonOrchestrationService(DurableStoreFactory.Create(settings, loggerFactory), settings, loggerFactory,
            TimeProvider.System, ownsStore: true);
    }

    /// <summary>A provider over a store someone else owns (the host's), which it does not dispose.</summary>
    public BatonOrchestrationService(IDurableStore store, DurableOptions settings, ILoggerFactory loggerFactory, TimeProvider time)
        : this(store, settings, loggerFactory, time, ownsStore: false)
    {
    }

    BatonOrchestrationService(IDurableStore store, DurableOptions settings, ILoggerFactory loggerFactory, TimeProvider time,
        bool ownsStore)
    {
        this.store = store;
        this.settings = settings;
        this.time = time;
        this.ownsStore = ownsStore;
        logger = loggerFactory.CreateLogger<BatonOrchestrationService>();
        var localActivities = settings.RemoteActivities.Count == 0 ? null : ActivityNameFilter.Except(settings.RemoteActivities);
        orchestrations = new WorkItemSource<OrchestrationWorkItem>(WorkQueue.Orchestrations, store, signals.Orchestrations,
            settings.MaxConcurrentOrchestrations, settings.OrchestrationClaimBatch, settings.MinPollingInterval,
            settings.MaxPollingInterval,
            (n, ct) => store.ClaimOrchestrationsAsync(settings.WorkerId, n, settings.MaxMessagesPerEpisode,
                settings.OrchestrationLeaseTtl, ct),
            time, () => store.CallersSaturateWriter, settings.CallerPriorityWait);
        activities = new WorkItemSource<ActivityWorkItem>(WorkQueue.Activities, store, signals.Activities,
            settings.MaxConcurrentActivities, settings.ActivityClaimBatch, settings.MinPollingInterval, settings.MaxPollingInterval,
            (n, ct) => store.ClaimActivitiesAsync(settings.WorkerId, n, settings.ActivityLeaseTtl, localActivities, ct),
            time);
    }

    /// <summary>"Sqlite" or "Postgres".</summary>
    public string ProviderName => store.ProviderName;

    // ---- lifecycle ----------------------------------------------------------------------------

    public Task CreateAsync() => MigrateAsync();

    public Task CreateAsync(bool recreateInstanceStore) => recreateInstanceStore
        ? throw new NotSupportedException("Baton does not drop its tables: delete the SQLite file or the PostgreSQL schema instead.")
        : MigrateAsync();

    public Task CreateIfNotExistsAsync() => MigrateAsync();

    public Task DeleteAsync() => DeleteAsync(true);

    public Task DeleteAsync(bool deleteInstanceStore) =>
        throw new NotSupportedException("Baton does not drop its tables: delete the SQLite file or the PostgreSQL schema instead.");

    /// <summary>Prepares the store and starts this worker's heartbeat (<see cref="HeartbeatAsync"/>) and retention
    /// (<see cref="RetentionAsync"/>). DTFx calls it when its dispatchers start; a process that is only a client never does.</summary>
    public async Task StartAsync()
    {
        await MigrateAsync();
        if (heartbeat is not null) return;
        stopHeartbeat = new CancellationTokenSource();
        var stop = stopHeartbeat.Token;
        heartbeat = Task.WhenAll(Task.Run(() => HeartbeatAsync(stop)), Task.Run(() => RetentionAsync(stop)));
    }

    public Task StopAsync() => StopAsync(false);

    /// <summary>Releases every lease this worker holds (claimed and running work alike), so another host resumes it at
    /// once instead of waiting for the leases to expire. DTFx stops its dispatchers before calling this.</summary>
    public async Task StopAsync(bool isForced)
    {
        if (stopHeartbeat is not null && heartbeat is not null)
        {
            await stopHeartbeat.CancelAsync();
            await heartbeat;
            (stopHeartbeat, heartbeat) = (null, null);
        }
        orchestrations.Drain();
        activities.Drain();
        if (!isMigrated) return;
        try
        {
            await store.ReleaseLeasesAsync(settings.WorkerId, CancellationToken.None);
        }
        catch (Exception e)
        {
            // The leases expire on their own: nothing is lost, takeover is only slower.
            ProviderLog.ReleaseFailed(logger, e);
        }
    }

    /// <summary>Leases are short (<see cref="DurableOptions.OrchestrationLeaseTtl"/>, a few seconds) so that another host
    /// takes over a dead one's work soon; a live host keeps everything it holds (running episodes and activities, and
    /// claims not yet handed out) with one statement a third of a lease apart. Work items therefore tell DTFx their lock
    /// never ends, and DTFx renews nothing itself. If renewing fails for a whole lease, the leases lapse and the fenced
    /// commits of this host's work are refused: another host redoes it, nothing is applied twice.</summary>
    async Task HeartbeatAsync(CancellationToken stop)
    {
        var every = TimeSpan.FromTicks(Math.Min(settings.OrchestrationLeaseTtl.Ticks, settings.ActivityLeaseTtl.Ticks) / 3);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stop);
                await store.RenewLeasesAsync(settings.WorkerId, settings.OrchestrationLeaseTtl, settings.ActivityLeaseTtl, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                ProviderLog.HeartbeatFailed(logger, e);
            }
        }
    }

    async Task MigrateAsync()
    {
        if (isMigrated) return;
        await migrated.WaitAsync();
        try
        {
            if (isMigrated) return;
            await store.MigrateAsync();
            isMigrated = true;
        }
        finally
        {
            migrated.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(isForced: true);
        if (ownsStore) await store.DisposeAsync();
        migrated.Dispose();
    }

    // ---- dispatcher settings ------------------------------------------------------------------

    // High, honest limits: DTFx's dispatcher sleeps 500 ms whenever it has as many work items as the provider allows.
    public int MaxConcurrentTaskOrchestrationWorkItems => settings.MaxConcurrentOrchestrations;

    public int MaxConcurrentTaskActivityWorkItems => settings.MaxConcurrentActivities;

    // One fetch loop per kind: each claim takes a batch for every free slot.
    public int TaskOrchestrationDispatcherCount => 1;

    public int TaskActivityDispatcherCount => 1;

    // Events that arrived for an execution that continued as new are carried over to the next one.
    public BehaviorOnContinueAsNew EventBehaviourForContinueAsNew => BehaviorOnContinueAsNew.Carryover;

    // An episode's outgoing messages all go into its one commit, however many there are.
    public bool IsMaxMessageCountExceeded(int currentMessageCount, OrchestrationRuntimeState runtimeState) => false;

    public int GetDelayInSecondsAfterOnProcessException(Exception exception) => 1;

    public int GetDelayInSecondsAfterOnFetchException(Exception exception) => exception is OperationCanceledException ? 0 : 1;

    /// <summary>Exponential back-off by how often the work was already delivered: 1 s, 2 s, 4 s … 5 min.</summary>
    static TimeSpan Backoff(int deliveries) => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Max(0, deliveries - 1)), 300));
}
