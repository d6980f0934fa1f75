using System.Diagnostics;
using System.Text;
using Baton.Durable.Hosting;
using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Worker;

/// <summary>
/// Runs one claimed activity attempt: renews its lease while it runs, enforces its timeout, classifies
/// failures, and reports the result with a fenced completion. Activities run at least once.
/// </summary>
sealed class ActivityProcessor(
    IDurableStore store,
    DurableRegistry registry,
    WorkSignals signals,
    IServiceProvider services,
    DurableOptions settings,
    ILoggerFactory loggerFactory,
    TimeProvider time)
{
    readonly ILogger logger = loggerFactory.CreateLogger<ActivityProcessor>();

    public async Task ProcessAsync(ActivityWorkItem item, CancellationToken shutdown)
    {
        using var span = DurableTelemetry.Source.StartActivity($"activity {item.Name}");
        span?.SetTag("baton.instance_id", item.InstanceId);
        try
        {
            var result = await RunAsync(item, shutdown);
            if (result is null) return;
            var (outcome, quarantine) = result.Value;
            if (!await store.CompleteActivityAsync(item, outcome, quarantine))
            {
                DurableLog.ActivityLeaseLost(logger, item.Name, item.TaskId, item.InstanceId);
                return;
            }
            signals.Orchestrations.Set();
        }
        catch (Exception e)
        {
            // Storage trouble: the lease expires and another attempt runs (at least once).
            DurableLog.ActivityEngineError(logger, e, item.Name, item.TaskId, item.InstanceId);
        }
    }

    /// <summary>The completion event to report, or null when this attempt must not report (lease lost, shutdown).</summary>
    async Task<(HistoryEvent, string?)?> RunAsync(ActivityWorkItem item, CancellationToken shutdown)
    {
        if (item.DequeueCount > settings.MaxDequeueCount)
        {
            DurableLog.PoisonActivity(logger, item.Name, item.TaskId, item.InstanceId, item.DequeueCount);
            var reason = $"Delivered {item.DequeueCount} times without completing (poison).";
            return (Failed(item, new TaskFailureDetails("PoisonMessage", reason, FailureClass: FailureClass.Permanent, IsNonRetriable: true)), reason);
        }

        await using var scope = services.CreateAsyncScope();
        if (!registry.TryCreateActivity(item.Name, scope.ServiceProvider, out var activity))
            return (Failed(item, new TaskFailureDetails("ActivityNotRegistered", $"No activity named '{item.Name}' is registered.",
                FailureClass: FailureClass.Permanent, IsNonRetriable: true)), null);

        WarnIfLarge(item, "input", item.Input is null ? 0 : Encoding.UTF8.GetByteCount(item.Input));
        var timeout = item.Timeout ?? settings.DefaultActivityTimeout;
        using var timedOut = new CancellationTokenSource(timeout, time);
        using var leaseLost = new CancellationTokenSource();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown, timedOut.Token, leaseLost.Token);
        using var stopRenewing = new CancellationTokenSource();
        var renewal = RenewLeaseAsync(item, leaseLost, stopRenewing.Token);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var input = DurableJson.Deserialize(item.Input, activity.InputType);
            var context = new TaskActivityContext(item.Name, item.InstanceId, item.ExecutionId, item.TaskId, item.DequeueCount, cancel.Token);
            var output = await activity.RunAsync(context, input);
            var json = DurableJson.Serialize(output);
            var bytes = json is null ? 0 : Encoding.UTF8.GetByteCount(json);
            WarnIfLarge(item, "result", bytes);
            if (bytes > settings.Limits.MaxPayloadBytes)
                return (Failed(item, new TaskFailureDetails("PayloadTooLarge",
                    $"The result of '{item.Name}' is larger than {settings.Limits.MaxPayloadBytes} bytes; return a reference instead.",
                    FailureClass: FailureClass.Permanent, IsNonRetriable: true)), null);
            return (new HistoryEvent(HistoryEventType.TaskCompleted, Now) { TaskId = item.TaskId, Data = json }, null);
        }
        catch (Exception) when (leaseLost.IsCancellationRequested)
        {
            DurableLog.ActivityLeaseLost(logger, item.Name, item.TaskId, item.InstanceId);
            return null;
        }
        catch (Exception) when (shutdown.IsCancellationRequested)
        {
            await store.AbandonActivityAsync(item, TimeSpan.Zero, CancellationToken.None);
            return null;
        }
        catch (Exception e) when (timedOut.IsCancellationRequested)
        {
            return (Failed(item, new TaskFailureDetails(e.GetType().FullName ?? "Timeout",
                $"Activity '{item.Name}' did not finish within {timeout}.", FailureClass: FailureClass.Timeout)), null);
        }
        catch (Exception e)
        {
            var failure = TaskFailureDetails.FromException(e);
            if (e is System.Text.Json.JsonException or NotSupportedException && failure.FailureClass == FailureClass.Unknown)
                failure = failure with { FailureClass = FailureClass.Permanent };
            return (Failed(item, failure), null);
        }
        finally
        {
            await stopRenewing.CancelAsync();
            await renewal;
            DurableTelemetry.ActivitiesRun.Add(1);
            DurableTelemetry.ActivityMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    void WarnIfLarge(ActivityWorkItem item, string what, int bytes)
    {
        if (bytes > settings.Limits.WarnPayloadBytes) DurableLog.LargePayload(logger, item.Name, item.TaskId, item.InstanceId, what, bytes);
    }

    HistoryEvent Failed(ActivityWorkItem item, TaskFailureDetails failure)
    {
        DurableLog.ActivityFailed(logger, item.Name, item.TaskId, item.InstanceId, item.DequeueCount, failure.FailureClass, failure.ErrorMessage);
        return new HistoryEvent(HistoryEventType.TaskFailed, Now) { TaskId = item.TaskId, Failure = failure };
    }

    /// <summary>Heartbeats every third of the lease; a lost lease cancels the activity (someone else owns it now).</summary>
    async Task RenewLeaseAsync(ActivityWorkItem item, CancellationTokenSource leaseLost, CancellationToken stop)
    {
        var every = settings.ActivityLeaseTtl / 3;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, time, stop);
                if (!await store.RenewActivityLeaseAsync(item, settings.ActivityLeaseTtl, stop))
                {
                    await leaseLost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                DurableLog.DispatcherError(logger, e, "activity lease renewal");
            }
        }
    }

    DateTime Now => time.GetUtcNow().UtcDateTime;
}
