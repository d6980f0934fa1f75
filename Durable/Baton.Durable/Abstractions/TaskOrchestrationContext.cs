using Microsoft.Extensions.Logging;

namespace Baton.Durable;

/// <summary>
/// The orchestrator's view of the engine. Every member is deterministic under replay.
/// Implemented by the replay executor and, for unit tests, by <c>Baton.Durable.Testing.FakeOrchestrationContext</c>.
/// </summary>
public abstract class TaskOrchestrationContext
{
    public abstract string Name { get; }
    public abstract string InstanceId { get; }
    public abstract string? Version { get; }
    public abstract ParentOrchestrationInstance? Parent { get; }

    /// <summary>The time of the current episode: frozen during it, identical on replay.</summary>
    public abstract DateTime CurrentUtcDateTime { get; }

    /// <summary>True while history that was already committed is being re-applied.</summary>
    public abstract bool IsReplaying { get; }

    public abstract Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallActivityAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallActivityAsync<Unit>(name, input, options);

    public abstract Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null);

    public Task CallSubOrchestratorAsync(string name, object? input = null, TaskOptions? options = null) =>
        CallSubOrchestratorAsync<Unit>(name, input, options);

    public abstract Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken = default);

    public Task CreateTimer(TimeSpan delay, CancellationToken cancellationToken = default) =>
        CreateTimer(CurrentUtcDateTime + delay, cancellationToken);

    /// <summary>Waits for an event raised to this instance. Events that arrived before the wait are buffered and
    /// handed out in arrival order; concurrent waiters of one name are served oldest first.</summary>
    public abstract Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default);

    /// <summary>As <see cref="WaitForExternalEvent{T}(string, CancellationToken)"/>, but throws
    /// <see cref="TimeoutException"/> when <paramref name="timeout"/> passes first (a durable timer).</summary>
    public async Task<T> WaitForExternalEvent<T>(string eventName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var cancelTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var cancelWait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var eventTask = WaitForExternalEvent<T>(eventName, cancelWait.Token);
        if (eventTask.IsCompleted) return await eventTask;
        var timerTask = CreateTimer(timeout, cancelTimer.Token);
        var winner = await Task.WhenAny(eventTask, timerTask);
        if (winner == eventTask)
        {
            cancelTimer.Cancel();
            return await eventTask;
        }
        cancelWait.Cancel();
        throw new TimeoutException($"Event '{eventName}' did not arrive within {timeout}.");
    }

    public abstract void SendEvent(string instanceId, string eventName, object? payload = null);

    public abstract void SetCustomStatus(object? customStatus);

    public void ContinueAsNew(object? newInput = null, bool preserveUnprocessedEvents = true) =>
        ContinueAsNew(new ContinueAsNewOptions { NewInput = newInput, PreserveUnprocessedEvents = preserveUnprocessedEvents });

    public abstract void ContinueAsNew(ContinueAsNewOptions options);

    /// <summary>A GUID that is the same on every replay of this point in the code.</summary>
    public abstract Guid NewGuid();

    /// <summary>A logger that stays silent while the orchestrator replays.</summary>
    public abstract ILogger CreateReplaySafeLogger(string categoryName);

    public ILogger CreateReplaySafeLogger<T>() => CreateReplaySafeLogger(typeof(T).FullName ?? typeof(T).Name);

    public abstract T GetInput<T>();
}

public sealed record ParentOrchestrationInstance(string Name, string InstanceId, string ExecutionId, int TaskId);
