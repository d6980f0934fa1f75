using Baton.Durable.Storage;

namespace Baton.Durable.Provider;

public sealed partial class BatonOrchestrationService
{
    /// <summary>Built-in retention (<see cref="Hosting.RetentionOptions"/>): every interval, on one worker at a time (a
    /// singleton lease in the store), purges instances that finished longer ago than their status's retention and forgets
    /// event idempotency keys older than theirs. Without it the store would keep every finished instance for ever.</summary>
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
                await PurgeExpiredAsync(time.GetUtcNow().UtcDateTime, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                ProviderLog.RetentionFailed(logger, e);
            }
        }
    }

    async Task PurgeExpiredAsync(DateTime now, CancellationToken stop)
    {
        var retention = settings.Retention;
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
        if (purged > 0) ProviderLog.RetentionPurged(logger, purged);

        var forgotten = 0;
        PurgeResult keys;
        do
        {
            keys = await store.PurgeMessageKeysAsync(now - retention.MessageKeys, cancellationToken: stop);
            forgotten += keys.PurgedInstanceCount;
        } while (keys.HasMore && !stop.IsCancellationRequested);
        if (forgotten > 0) ProviderLog.RetentionForgotKeys(logger, forgotten);
    }
}
