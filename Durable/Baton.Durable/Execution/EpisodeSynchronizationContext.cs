namespace Baton.Durable.Execution;

/// <summary>
/// Runs every continuation of orchestrator code on the episode's own thread, in the order it was posted,
/// so an episode is a deterministic, single-threaded computation (ENGINE.md §2.3, step 1).
/// </summary>
sealed class EpisodeSynchronizationContext : SynchronizationContext
{
    readonly Queue<(SendOrPostCallback Callback, object? State)> work = new();
    readonly Lock gate = new();

    public int ThreadId { get; } = Environment.CurrentManagedThreadId;

    public override void Post(SendOrPostCallback d, object? state)
    {
        lock (gate) work.Enqueue((d, state));
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("Orchestrator code cannot block on synchronous sends.");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs queued continuations until none are left (the orchestrator is quiescent).</summary>
    public void RunUntilIdle()
    {
        while (true)
        {
            (SendOrPostCallback Callback, object? State) next;
            lock (gate)
            {
                if (!work.TryDequeue(out next)) return;
            }
            next.Callback(next.State);
        }
    }
}
