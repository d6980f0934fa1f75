using Microsoft.Extensions.Logging;

namespace Baton.Durable.Worker;

/// <summary>The engine's log messages, with stable event ids (9000–9099; storage uses 9100s) so operators can alert on them.</summary>
static partial class DurableLog
{
    [LoggerMessage(EventId = 9017, Level = LogLevel.Debug, Message = "Ignored {EventType} for task #{TaskId} of {InstanceId}: nothing awaits it (late, duplicate or cancelled)")]
    public static partial void LateEvent(ILogger logger, Baton.Durable.History.HistoryEventType eventType, int taskId, string instanceId);

    [LoggerMessage(EventId = 9018, Level = LogLevel.Debug, Message = "Dropped {Count} message(s) for {InstanceId}: {Reason}")]
    public static partial void DroppedMessages(ILogger logger, int count, string instanceId, string reason);

    [LoggerMessage(EventId = 9019, Level = LogLevel.Warning, Message = "Orchestrator {InstanceId} finished with {OpenTasks} durable task(s) still open; their results will be ignored")]
    public static partial void FinishedWithOpenTasks(ILogger logger, string instanceId, int openTasks);

    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Durable worker {WorkerId} started on {Provider}")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string provider);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Durable worker {WorkerId} stopped; leases released")]
    public static partial void WorkerStopped(ILogger logger, string workerId);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Orchestration {InstanceId} ({Name}) finished {Status}")]
    public static partial void OrchestrationFinished(ILogger logger, string instanceId, string name, OrchestrationRuntimeStatus status);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Warning, Message = "Episode of {InstanceId} discarded: the lease was lost to another worker")]
    public static partial void LeaseLost(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Error, Message = "Orchestration {InstanceId} is non-deterministic and was {Action}: {Reason}")]
    public static partial void NonDeterministic(ILogger logger, string instanceId, string action, string reason);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Error, Message = "Episode of {InstanceId} failed in the engine; retrying in {RetryAfter}")]
    public static partial void EpisodeAbandoned(ILogger logger, Exception exception, string instanceId, TimeSpan retryAfter);

    [LoggerMessage(EventId = 9014, Level = LogLevel.Error, Message = "Orchestration {InstanceId}: {Count} message(s) exceeded {MaxDequeueCount} deliveries and were quarantined")]
    public static partial void PoisonMessages(ILogger logger, string instanceId, int count, int maxDequeueCount);

    [LoggerMessage(EventId = 9015, Level = LogLevel.Warning, Message = "Orchestration {InstanceId} has a large history: {Events} events, {Bytes} bytes")]
    public static partial void LargeHistory(ILogger logger, string instanceId, int events, long bytes);

    [LoggerMessage(EventId = 9016, Level = LogLevel.Warning, Message = "No orchestrator named {Name} is registered here (instance {InstanceId}); retrying in {RetryAfter}")]
    public static partial void OrchestratorNotRegistered(ILogger logger, string name, string instanceId, TimeSpan retryAfter);

    [LoggerMessage(EventId = 9034, Level = LogLevel.Warning, Message = "Activity {Name} #{TaskId} of {InstanceId} has a large {What}: {Bytes} bytes; pass a reference instead of the data")]
    public static partial void LargePayload(ILogger logger, string name, int taskId, string instanceId, string what, int bytes);

    [LoggerMessage(EventId = 9030, Level = LogLevel.Warning, Message = "Activity {Name} #{TaskId} of {InstanceId} failed (attempt {Attempt}, {FailureClass}): {Message}")]
    public static partial void ActivityFailed(ILogger logger, string name, int taskId, string instanceId, int attempt, FailureClass failureClass, string message);

    [LoggerMessage(EventId = 9031, Level = LogLevel.Warning, Message = "Activity {Name} #{TaskId} of {InstanceId} lost its lease; its result is discarded")]
    public static partial void ActivityLeaseLost(ILogger logger, string name, int taskId, string instanceId);

    [LoggerMessage(EventId = 9032, Level = LogLevel.Error, Message = "Activity {Name} #{TaskId} of {InstanceId} was delivered {DequeueCount} times and was quarantined")]
    public static partial void PoisonActivity(ILogger logger, string name, int taskId, string instanceId, int dequeueCount);

    [LoggerMessage(EventId = 9033, Level = LogLevel.Error, Message = "Engine error while completing activity {Name} #{TaskId} of {InstanceId}")]
    public static partial void ActivityEngineError(ILogger logger, Exception exception, string name, int taskId, string instanceId);

    [LoggerMessage(EventId = 9040, Level = LogLevel.Error, Message = "Dispatcher {Dispatcher} failed; retrying")]
    public static partial void DispatcherError(ILogger logger, Exception exception, string dispatcher);

    [LoggerMessage(EventId = 9050, Level = LogLevel.Information, Message = "Retention purged {Count} finished instance(s)")]
    public static partial void RetentionPurged(ILogger logger, int count);

    [LoggerMessage(EventId = 9051, Level = LogLevel.Information, Message = "Retention forgot {Count} event dedupe key(s)")]
    public static partial void RetentionForgotKeys(ILogger logger, int count);
}
