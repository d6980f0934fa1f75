namespace Baton.Durable;

/// <summary>The orchestration that started a sub-orchestration, as the store keeps it.</summary>
public sealed record ParentOrchestrationInstance(string Name, string InstanceId, string ExecutionId, int TaskId);
