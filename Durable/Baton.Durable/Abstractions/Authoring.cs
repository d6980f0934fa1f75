namespace Baton.Durable;

/// <summary>What the engine calls: the untyped face of an orchestrator.</summary>
public interface ITaskOrchestrator
{
    Type InputType { get; }
    Type OutputType { get; }
    Task<object?> RunAsync(TaskOrchestrationContext context, object? input);
}

/// <summary>
/// Base class for an orchestrator: deterministic code replayed from history. Read time, GUIDs and
/// randomness only from the context; do I/O only in activities; never use ConfigureAwait(false).
/// </summary>
public abstract class TaskOrchestrator<TInput, TOutput> : ITaskOrchestrator
{
    Type ITaskOrchestrator.InputType => typeof(TInput);
    Type ITaskOrchestrator.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskOrchestrationContext context, TInput input);

    async Task<object?> ITaskOrchestrator.RunAsync(TaskOrchestrationContext context, object? input) =>
        await RunAsync(context, (TInput)input!);
}

/// <summary>What the engine calls: the untyped face of an activity.</summary>
public interface ITaskActivity
{
    Type InputType { get; }
    Type OutputType { get; }
    Task<object?> RunAsync(TaskActivityContext context, object? input);
}

/// <summary>
/// Base class for an activity: a step with side effects. Activities run at least once — a crash or a
/// lost lease may run one again — so make them idempotent with <see cref="TaskActivityContext.IdempotencyKey"/>.
/// </summary>
public abstract class TaskActivity<TInput, TOutput> : ITaskActivity
{
    Type ITaskActivity.InputType => typeof(TInput);
    Type ITaskActivity.OutputType => typeof(TOutput);

    public abstract Task<TOutput> RunAsync(TaskActivityContext context, TInput input);

    async Task<object?> ITaskActivity.RunAsync(TaskActivityContext context, object? input) =>
        await RunAsync(context, (TInput)input!);
}

/// <summary>What an activity knows about the call it serves.</summary>
public sealed record TaskActivityContext(
    string Name,
    string InstanceId,
    string ExecutionId,
    int TaskId,
    int Attempt,
    CancellationToken CancellationToken)
{
    /// <summary>Stable across re-runs of the same scheduled step: pass it to external systems to dedupe.</summary>
    public string IdempotencyKey => $"{InstanceId}:{ExecutionId}:{TaskId}";
}

/// <summary>No input or no output.</summary>
public readonly record struct Unit
{
    public static readonly Unit Value = default;
}
