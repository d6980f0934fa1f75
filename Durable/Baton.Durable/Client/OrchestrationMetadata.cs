using Baton.Durable.Serialization;
using Baton.Durable.Storage;

namespace Baton.Durable;

/// <summary>What a client sees of an instance.</summary>
public sealed record OrchestrationMetadata(
    string Name,
    string InstanceId,
    OrchestrationRuntimeStatus RuntimeStatus,
    DateTime CreatedAt,
    DateTime LastUpdatedAt,
    DateTime? CompletedAt,
    string? SerializedInput,
    string? SerializedOutput,
    string? SerializedCustomStatus,
    TaskFailureDetails? FailureDetails,
    IReadOnlyDictionary<string, string>? Tags,
    ParentOrchestrationInstance? Parent)
{
    public bool IsRunning => RuntimeStatus is OrchestrationRuntimeStatus.Running or OrchestrationRuntimeStatus.Suspended;
    public bool IsCompleted => RuntimeStatus.IsTerminal();

    public T? ReadInputAs<T>() => SerializedInput is null ? default : DurableJson.Deserialize<T>(SerializedInput);
    public T? ReadOutputAs<T>() => SerializedOutput is null ? default : DurableJson.Deserialize<T>(SerializedOutput);
    public T? ReadCustomStatusAs<T>() => SerializedCustomStatus is null ? default : DurableJson.Deserialize<T>(SerializedCustomStatus);

    internal static OrchestrationMetadata From(InstanceRecord r) => new(
        r.Name, r.InstanceId, r.Status, r.CreatedAt, r.LastUpdatedAt, r.CompletedAt,
        r.Input, r.Output, r.CustomStatus, r.Failure, r.Tags, r.Parent);
}

public sealed record OrchestrationPage(IReadOnlyList<OrchestrationMetadata> Instances, string? ContinuationToken);
