namespace Baton.Durable;

/// <summary>Options for one activity or sub-orchestration call.</summary>
public record TaskOptions
{
    public RetryPolicy? Retry { get; init; }

    /// <summary>Wall-clock limit for one activity attempt; the activity's cancellation token fires and the
    /// attempt fails with <see cref="FailureClass.Timeout"/>. Null = the worker's default.</summary>
    public TimeSpan? Timeout { get; init; }

    public IReadOnlyDictionary<string, string>? Tags { get; init; }

    public static TaskOptions FromRetryPolicy(RetryPolicy policy) => new() { Retry = policy };

    public SubOrchestrationOptions WithInstanceId(string instanceId) =>
        new() { Retry = Retry, Timeout = Timeout, Tags = Tags, InstanceId = instanceId };
}

public sealed record SubOrchestrationOptions : TaskOptions
{
    /// <summary>The child's instance id. Default: <c>{parentExecutionId}:{sequenceId}</c>.</summary>
    public string? InstanceId { get; init; }
}

public sealed record StartOrchestrationOptions
{
    public string? InstanceId { get; init; }
    /// <summary>Do not start before this time (a past time means now).</summary>
    public DateTimeOffset? StartAt { get; init; }
    public string? Version { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
    /// <summary>Existing-instance statuses that make the start fail with <see cref="OrchestrationAlreadyExistsException"/>.
    /// Null = Pending, Running, Suspended. An instance in any other status is replaced.</summary>
    public IReadOnlyCollection<OrchestrationRuntimeStatus>? DedupeStatuses { get; init; }
    /// <summary>A retried start with the same key returns the instance the first start created.</summary>
    public string? IdempotencyKey { get; init; }

    public static readonly IReadOnlyCollection<OrchestrationRuntimeStatus> DefaultDedupeStatuses =
        [OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Suspended];
}

public sealed record ContinueAsNewOptions
{
    public object? NewInput { get; init; }
    /// <summary>Carry events received but not yet consumed into the new execution (default true).</summary>
    public bool PreserveUnprocessedEvents { get; init; } = true;
    public string? NewVersion { get; init; }
}
