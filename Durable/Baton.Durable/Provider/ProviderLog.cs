using Microsoft.Extensions.Logging;

namespace Baton.Durable.Provider;

static partial class ProviderLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Could not release this worker's leases at stop; they expire on their own")]
    public static partial void ReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 307, Level = LogLevel.Warning,
        Message = "Could not renew this worker's leases; if this lasts a whole lease, other hosts take its work over")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning,
        Message = "Instance {InstanceId}: another worker owns it now (its lease expired); this episode's result is discarded")]
    public static partial void LeaseLost(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning,
        Message = "Instance {InstanceId}: {Count} message(s) were delivered more than {Max} times without committing; quarantined, and the instance failed")]
    public static partial void PoisonMessages(ILogger logger, string instanceId, int count, int max);

    [LoggerMessage(EventId = 303, Level = LogLevel.Warning,
        Message = "Activity {Name} (task {TaskId} of {InstanceId}) was delivered {Count} times without completing; quarantined and failed")]
    public static partial void PoisonActivity(ILogger logger, string name, int taskId, string instanceId, int count);

    [LoggerMessage(EventId = 304, Level = LogLevel.Warning,
        Message = "Activity {Name} (task {TaskId} of {InstanceId}): the lease was lost before it completed; another attempt reports instead")]
    public static partial void ActivityLeaseLost(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning,
        Message = "Instance {InstanceId} has {Events} history events / {Bytes} bytes, over the limit: it is failed")]
    public static partial void HistoryLimit(ILogger logger, string instanceId, int events, long bytes);

    [LoggerMessage(EventId = 306, Level = LogLevel.Information, Message = "Instance {InstanceId} finished {Status}")]
    public static partial void Finished(ILogger logger, string instanceId, OrchestrationRuntimeStatus status);

    [LoggerMessage(EventId = 307, Level = LogLevel.Information, Message = "Retention purged {Count} finished instance(s)")]
    public static partial void RetentionPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 308, Level = LogLevel.Information, Message = "Retention forgot {Count} event dedupe key(s)")]
    public static partial void RetentionForgotKeys(ILogger logger, int count);

    [LoggerMessage(EventId = 309, Level = LogLevel.Error, Message = "Retention failed; it runs again at its next interval")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
