using System.Collections.Concurrent;
using Baton.Durable.Execution;
using Baton.Durable.Hosting;
using Baton.Durable.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Worker;

/// <summary>
/// Applies migrations at start, then runs the orchestration and activity dispatchers and the retention job.
/// On stop it stops claiming, lets running activities finish for a grace period, then releases its leases
/// so another process resumes the work at once.
/// </summary>
public sealed class DurableWorker(
    IDurableStore store,
    DurableRegistry registry,
    WorkSignals signals,
    IServiceProvider services,
    IOptions<DurableOptions> options,
    ILoggerFactory loggerFactory,
    TimeProvider time,
    StoreReadiness readiness) : BackgroundService
{
    readonly DurableOptions settings = options.Value;
    readonly ILogger logger = loggerFactory.CreateLogger<DurableWorker>();
    readonly ConcurrentDictionary<Task, byte> inFlightActivities = new();
    readonly CancellationTokenSource activityAbort = new();
    EpisodeProcessor? episodes;
    ActivityProcessor? activities;

    /// <summary>Completes once migrations are applied and (when enabled) dispatchers are running.</summary>
    public Task Ready => ready.Task;
    readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await store.MigrateAsync(stoppingToken);
            readiness.SetMigrated();
        }
        catch (Exception e)
        {
            // Whoever waits for Ready (or for the store) must see the failure instead of waiting forever.
            ready.TrySetException(e);
            readiness.SetFailed(e);
            throw;
        }
        if (!settings.WorkerEnabled)
        {
            ready.TrySetResult();
            return;
        }

        episodes = new EpisodeProcessor(store, registry, signals, services, settings, loggerFactory);
        activities = new ActivityProcessor(store, registry, signals, services, settings, loggerFactory, time);
        // Remote activities are left to their external claimer. Rows this worker cannot claim cause no spinning: an
        // unleased row is visible (visible_at <= now), and GetNextWakeUpAsync only reports future times, so it never
        // shortens the idle wait; a row leased by a remote claimer has visible_at = its lease expiry, which wakes the
        // dispatcher at most once per expiry, exactly like a row leased by another local worker.
        var localActivities = ActivityNameFilter.Except(registry.RemoteActivityNames);
        DurableLog.WorkerStarted(logger, settings.WorkerId, store.ProviderName);
        ready.TrySetResult();

        await Task.WhenAll(
            DispatchAsync(WorkQueue.Orchestrations, signals.Orchestrations, settings.MaxConcurrentOrchestrations,
                n => store.ClaimOrchestrationsAsync(settings.WorkerId, Math.Min(n, settings.OrchestrationClaimBatch),
                    settings.MaxMessagesPerEpisode, settings.OrchestrationLeaseTtl, stoppingToken),
                item => episodes.ProcessAsync(item), null, stoppingToken),
            DispatchAsync(WorkQueue.Activities, signals.Activities, settings.MaxConcurrentActivities,
                n => store.ClaimActivitiesAsync(settings.WorkerId, Math.Min(n, settings.ActivityClaimBatch), settings.ActivityLeaseTtl,
                    localActivities, stoppingToken),
                item => activities.ProcessAsync(item, activityAbort.Token), inFlightActivities, stoppingToken),
            RetentionAsync(stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (!settings.WorkerEnabled || episodes is null) return;

        // Give running activities a grace period, then cancel them; their leases are released below.
        var running = Task.WhenAll(inFlightActivities.Keys);
        await Task.WhenAny(running, Task.Delay(settings.ShutdownGracePeriod, CancellationToken.None));
        await activityAbort.CancelAsync();
        await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(5), CancellationToken.None));
        await store.ReleaseLeasesAsync(settings.WorkerId, CancellationToken.None);
        DurableLog.WorkerStopped(logger, settings.WorkerId);
    }

    /// <summary>
    /// Claims work while there is capacity; when idle, sleeps until signalled, until the next timer is due,
    /// or for an adaptive polling interval (10 ms doubling to 1 s), whichever comes first.
    /// </summary>
    async Task DispatchAsync<T>(WorkQueue queue, AsyncPulse pulse, int capacity, Func<int, Task<IReadOnlyList<T>>> claim,
        Func<T, Task> process, ConcurrentDictionary<Task, byte>? tracked, CancellationToken stop)
    {
        using var slots = new SemaphoreSlim(capacity);
        var idle = settings.MinPollingInterval;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stop);
                var items = await claim(slots.CurrentCount + 1);
                if (items.Count == 0)
                {
                    slots.Release();
                    await WaitForWorkAsync(queue, pulse, idle, stop);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
                    continue;
                }
                idle = settings.MinPollingInterval;
                for (var i = 1; i < items.Count; i++) await slots.WaitAsync(stop);
                foreach (var item in items)
                {
                    var task = Task.Run(() => process(item), CancellationToken.None);
                    if (tracked is not null) tracked.TryAdd(task, 0);
                    _ = task.ContinueWith(t =>
                    {
                        slots.Release();
                        tracked?.TryRemove(t, out _);
                    }, TaskScheduler.Default);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                DurableLog.DispatcherError(logger, e, queue.ToString());
                await Task.Delay(settings.MaxPollingInterval, CancellationToken.None);
            }
        }
        // Episodes are short: let the running ones commit (a cut-off commit would only roll back). Activities can run
        // for hours, so they are not awaited here; StopAsync gives them the grace period and then releases them.
        if (tracked is not null) return;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        for (var i = 0; i < capacity; i++)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await slots.WaitAsync(left, CancellationToken.None)) break;
        }
    }

    async Task WaitForWorkAsync(WorkQueue queue, AsyncPulse pulse, TimeSpan idle, CancellationToken stop)
    {
        var wait = idle;
        var next = await store.GetNextWakeUpAsync(queue, stop);
        if (next is { } due)
        {
            var untilDue = due - time.GetUtcNow().UtcDateTime;
            if (untilDue < wait) wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue;
        }
        if (wait > TimeSpan.Zero) await pulse.WaitAsync(wait, stop);
    }

    /// <summary>Purges finished instances and old event dedupe keys past their retention, on one replica at a time.</summary>
    async Task RetentionAsync(CancellationToken stop)
    {
        var retention = settings.Retention;
        if (!retention.Enabled) return;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(retention.Interval, time, stop);
                if (!await store.TryAcquireSingletonAsync("retention", settings.WorkerId, retention.Interval * 2, stop)) continue;
                var now = time.GetUtcNow().UtcDateTime;
                var purged = 0;
                foreach (var (status, age) in new[]
                         {
                             (OrchestrationRuntimeStatus.Completed, retention.Completed),
                             (OrchestrationRuntimeStatus.Terminated, retention.Terminated),
                             (OrchestrationRuntimeStatus.Failed, retention.Failed),
                         })
                {
                    PurgeResult result;
                    do
                    {
                        result = await store.PurgeInstancesAsync(new PurgeFilter { Statuses = [status], CompletedBefore = now - age }, stop);
                        purged += result.PurgedInstanceCount;
                    } while (result.HasMore && !stop.IsCancellationRequested);
                }
                if (purged > 0) DurableLog.RetentionPurged(logger, purged);

                var forgotten = 0;
                PurgeResult keys;
                do
                {
                    keys = await store.PurgeMessageKeysAsync(now - retention.MessageKeys, cancellationToken: stop);
                    forgotten += keys.PurgedInstanceCount;
                } while (keys.HasMore && !stop.IsCancellationRequested);
                if (forgotten > 0) DurableLog.RetentionForgotKeys(logger, forgotten);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                DurableLog.DispatcherError(logger, e, "retention");
            }
        }
    }

    public override void Dispose()
    {
        activityAbort.Dispose();
        base.Dispose();
    }
}
