namespace Baton.Durable.Storage.Sql;

/// <summary>What the writer does with an operation's savepoint once its body has run.</summary>
internal enum OperationVerdict
{
    /// <summary>Keep the changes (they commit with the batch).</summary>
    Keep,

    /// <summary>Undo this operation's changes only (e.g. a fenced commit); the result is still returned.</summary>
    RollBack,

    /// <summary>Undo and run the body again at once (e.g. a concurrent insert won a race the body can now see).</summary>
    RunAgain,
}

/// <param name="Settle">Set by <see cref="AfterFlush"/>: the verdict waits for the body's deferred statements.</param>
internal readonly record struct OperationResult<T>(T Value, OperationVerdict Verdict, Func<Exception?, OperationResult<T>>? Settle = null)
{
    public static OperationResult<T> Keep(T value) => new(value, OperationVerdict.Keep);

    public static OperationResult<T> RollBack(T value) => new(value, OperationVerdict.RollBack);

    public static OperationResult<T> RunAgain() => new(default!, OperationVerdict.RunAgain);

    /// <summary>The body only deferred its statements: the writer sends them together with the rest of the batch (one
    /// round trip on PostgreSQL for the whole batch, not one per operation) and then asks <paramref name="settle"/> for
    /// the result, passing the error if the statements failed (<paramref name="settle"/> rethrows what it does not handle).</summary>
    public static OperationResult<T> AfterFlush(Func<Exception?, OperationResult<T>> settle) => new(default!, OperationVerdict.Keep, settle);
}

/// <summary>A unit of work queued for the group-commit writer.</summary>
internal abstract class WriteOperation
{
    const int Queued = 0, Started = 1, Cancelled = 2;
    int state;

    protected WriteOperation(IReadOnlyCollection<string> instanceIds) => InstanceIds = instanceIds;

    /// <summary>Instance rows this operation will lock (PostgreSQL locks them for the whole batch, sorted).</summary>
    public IReadOnlyCollection<string> InstanceIds { get; }

    public int TransientFailures { get; set; }

    /// <summary>A caller waits on this write (a start, a raised event), as opposed to the engine's own work.</summary>
    public bool ForCaller { get; init; }

    /// <summary>False if the caller cancelled before the writer got to it; once started, an operation is never
    /// cancelled, so a caller is never told "cancelled" about something that committed.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref state, Started, Queued) != Cancelled;

    protected bool TryCancel() => Interlocked.CompareExchange(ref state, Cancelled, Queued) == Queued;

    /// <summary>Runs the body; null when its verdict waits for its deferred statements (<see cref="Settle"/>, after a flush).</summary>
    public abstract ValueTask<OperationVerdict?> ExecuteAsync(StoreSession session);

    /// <summary>The verdict of an operation whose <see cref="ExecuteAsync"/> returned null, once its statements ran;
    /// <paramref name="error"/> is what they failed with. Throws the error when the body does not handle it.</summary>
    public abstract OperationVerdict Settle(Exception? error);

    /// <summary>Publishes the result; called only after the batch committed.</summary>
    public abstract void Complete();

    public abstract void Fail(Exception exception);
}

internal sealed class WriteOperation<T> : WriteOperation
{
    readonly Func<StoreSession, CancellationToken, ValueTask<OperationResult<T>>> body;
    readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly CancellationTokenRegistration registration;
    T result = default!;
    Func<Exception?, OperationResult<T>>? settle;

    public WriteOperation(IReadOnlyCollection<string> instanceIds,
        Func<StoreSession, CancellationToken, ValueTask<OperationResult<T>>> body, CancellationToken cancellationToken)
        : base(instanceIds)
    {
        this.body = body;
        if (cancellationToken.CanBeCanceled)
        {
            registration = cancellationToken.Register(() =>
            {
                if (TryCancel()) completion.TrySetCanceled(cancellationToken);
            });
        }
    }

    public Task<T> Task => completion.Task;

    public override async ValueTask<OperationVerdict?> ExecuteAsync(StoreSession session)
    {
        var outcome = await body(session, CancellationToken.None);
        settle = outcome.Settle;
        if (settle is not null) return null;
        result = outcome.Value;
        return outcome.Verdict;
    }

    public override OperationVerdict Settle(Exception? error)
    {
        var decide = settle ?? throw new InvalidOperationException("The operation has no deferred verdict.");
        settle = null;
        var outcome = decide(error);
        result = outcome.Value;
        return outcome.Verdict;
    }

    public override void Complete()
    {
        registration.Dispose();
        completion.TrySetResult(result);
    }

    public override void Fail(Exception exception)
    {
        registration.Dispose();
        completion.TrySetException(exception);
    }
}
