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

internal readonly record struct OperationResult<T>(T Value, OperationVerdict Verdict)
{
    public static OperationResult<T> Keep(T value) => new(value, OperationVerdict.Keep);

    public static OperationResult<T> RollBack(T value) => new(value, OperationVerdict.RollBack);

    public static OperationResult<T> RunAgain() => new(default!, OperationVerdict.RunAgain);
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

    /// <summary>False if the caller cancelled before the writer got to it; once started, an operation is never
    /// cancelled, so a caller is never told "cancelled" about something that committed.</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref state, Started, Queued) != Cancelled;

    protected bool TryCancel() => Interlocked.CompareExchange(ref state, Cancelled, Queued) == Queued;

    public abstract ValueTask<OperationVerdict> ExecuteAsync(StoreSession session);

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

    public override async ValueTask<OperationVerdict> ExecuteAsync(StoreSession session)
    {
        var outcome = await body(session, CancellationToken.None);
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
