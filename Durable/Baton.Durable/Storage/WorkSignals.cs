namespace Baton.Durable.Storage;

/// <summary>
/// In-process wake-ups: a local commit that creates work pulses the matching dispatcher so the common
/// path (same process schedules and runs) has no poll latency. Polling stays the correctness path.
/// </summary>
public sealed class WorkSignals
{
    public AsyncPulse Orchestrations { get; } = new();
    public AsyncPulse Activities { get; } = new();
    /// <summary>Pulsed whenever an instance reaches a terminal state in this process.</summary>
    public AsyncPulse Completions { get; } = new();
}

/// <summary>An auto-reset signal: <see cref="Set"/> wakes the current (or next) waiter once.</summary>
public sealed class AsyncPulse
{
    TaskCompletionSource pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly Lock gate = new();

    public void Set()
    {
        lock (gate) pending.TrySetResult();
    }

    /// <summary>Waits until <see cref="Set"/> was called since the last wait returned, or the timeout passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task wait;
        lock (gate) wait = pending.Task;
        try
        {
            await wait.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        lock (gate)
        {
            if (pending.Task.IsCompleted) pending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
