namespace Baton.Durable;

/// <summary>A start request named an instance id that already exists in one of the dedupe statuses.</summary>
public sealed class OrchestrationAlreadyExistsException(string instanceId, OrchestrationRuntimeStatus status)
    : Exception($"An orchestration with instance id '{instanceId}' already exists and is {status}.")
{
    public string InstanceId { get; } = instanceId;
    public OrchestrationRuntimeStatus Status { get; } = status;
}

/// <summary>No instance has the given id.</summary>
