namespace Baton.Durable;

/// <summary>Thrown by an activity (or an adapter under it) to fail with a known <see cref="FailureClass"/>.</summary>
public class DurableFailureException(
    FailureClass failureClass, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureClass FailureClass { get; } = failureClass;

    /// <summary>For <see cref="FailureClass.RateLimited"/>: the earliest the server allows another attempt.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;

    public virtual bool IsNonRetriable => FailureClass.IsNeverRetried();
}

/// <summary>What an orchestrator sees when an activity or sub-orchestration it awaited failed.</summary>
public sealed class TaskFailedException(string taskName, int taskId, TaskFailureDetails failureDetails)
    : Exception($"Task '{taskName}' (#{taskId}) failed: {failureDetails}")
{
    public string TaskName { get; } = taskName;
    public int TaskId { get; } = taskId;
    public TaskFailureDetails FailureDetails { get; } = failureDetails;
}

/// <summary>The orchestrator's code no longer matches the history it is replaying.</summary>
public sealed class NonDeterministicOrchestrationException(string message) : Exception(message);

/// <summary>An orchestrator awaited something the engine cannot complete, or called the context from another thread.</summary>
public sealed class OrchestratorMisuseException(string message) : Exception(message);

/// <summary>A start request named an instance id that already exists in one of the dedupe statuses.</summary>
public sealed class OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
    : Exception($"An orchestration with instance id '{instanceId}' already exists and is {status}.")
{
    public string InstanceId { get; } = instanceId;
    public OrchestrationRuntimeStatus Status { get; } = status;
}

/// <summary>No instance has the given id.</summary>
public sealed class InstanceNotFoundException(string instanceId)
    : Exception($"No orchestration instance with id '{instanceId}' exists.")
{
    public string InstanceId { get; } = instanceId;
}

/// <summary>The operation needs a running instance but the instance has finished.</summary>
public sealed class InstanceTerminalException(string instanceId, OrchestrationRuntimeStatus status)
    : Exception($"Orchestration instance '{instanceId}' has already finished ({status}).")
{
    public string InstanceId { get; } = instanceId;
    public OrchestrationRuntimeStatus Status { get; } = status;
}
