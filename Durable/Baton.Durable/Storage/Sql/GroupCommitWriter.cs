using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Storage.Sql;

/// <param name="Writers">Writer connections draining the queue (SQLite: 1).</param>
/// <param name="MaxBatchSize">Most operations committed in one transaction.</param>
/// <param name="MaxTransientRetries">How often an operation hit by a deadlock/serialization failure is run again.</param>
/// <param name="OwnThreads">Each writer runs on a thread of its own (<see cref="DedicatedThread"/>): for a store whose
/// calls block (SQLite), instead of the thread pool.</param>
internal sealed record GroupCommitSettings(int Writers, int MaxBatchSize, int MaxTransientRetries, bool OwnThreads = false);

/// <summary>
/// Group commit (ENGINE.md §3.14): each writer connection drains the queue of pending write operations and runs up to
/// <see cref="GroupCommitSettings.MaxBatchSize"/> of them in one transaction, one fsync for the lot. A failed or
/// fenced operation is undone alone: the batch then runs again with a savepoint around each operation. Results are published only after
/// COMMIT returned, so an acknowledged write is durable. There is no linger: while one batch commits, the next
/// one fills up by itself.
/// </summary>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    const int MaxRunsPerOperation = 3;

    readonly Channel<WriteOperation> queue = Channel.CreateUnbounded<WriteOperation>();
    readonly Func<CancellationToken, ValueTask<StoreSession>> openSession;
    readonly GroupCommitSettings settings;
    readonly ILogger logger;
    readonly WriterLoad load;
    readonly Task[] writers;

    public GroupCommitWriter(Func<CancellationToken, ValueTask<StoreSession>> openSession, GroupCommitSettings settings, ILogger logger,
        WriterLoad? load = null)
    {
        this.openSession = openSession;
        this.settings = settings;
        this.logger = logger;
        this.load = load ?? new WriterLoad();
        writers = Enumerable.Range(0, settings.Writers)
            .Select(i => settings.OwnThreads
                ? DedicatedThread.Run($"baton-writer-{i}", RunWriterAsync)
                : Task.Factory.StartNew(RunWriterAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap())
            .ToArray();
    }

    /// <param name="forCaller">A caller waits on this write (a start, a raised event): counted in <see cref="WriterLoad"/>.</param>
    public Task<T> RunAsync<T>(IReadOnlyCollection<string> instanceIds,
        Func<StoreSession, CancellationToken, ValueTask<OperationResult<T>>> body, CancellationToken cancellationToken,
        bool forCaller = false)
    {
        var operation = new WriteOperation<T>(instanceIds, body, cancellationToken) { ForCaller = forCaller };
        if (forCaller) load.CallerWrote();
        if (!queue.Writer.TryWrite(operation)) throw new ObjectDisposedException(nameof(GroupCommitWriter), "The store is closed.");
        return operation.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(writers);
    }

    async Task RunWriterAsync()
    {
        StoreSession? session = null;
        var batch = new List<WriteOperation>(settings.MaxBatchSize);
        try
        {
            while (await queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < settings.MaxBatchSize && queue.Reader.TryRead(out var operation))
                {
                    if (operation.TryStart()) batch.Add(operation);
                }
                if (batch.Count == 0) continue;

                try
                {
                    session ??= await openSession(CancellationToken.None);
                }
                catch (Exception e)
                {
                    FailAll(batch, e);
                    await Task.Delay(Backoff(1));
                    continue;
                }

                var start = Stopwatch.GetTimestamp();
                await ExecuteBatchAsync(session, batch);
                load.RoundDone(start, Stopwatch.GetTimestamp(), batch.Count, batch.Count(o => o.ForCaller));
                if (!session.IsUsable)
                {
                    await session.DisposeAsync();
                    session = null;
                }
            }
        }
        finally
        {
            if (session is not null) await session.DisposeAsync();
        }
    }

    /// <summary>
    /// Runs a batch in one transaction. The first run is optimistic: no savepoints, because nearly every operation
    /// keeps its changes, and a savepoint per operation costs two statements and (on PostgreSQL) a subtransaction.
    /// If an operation fails or wants its changes undone, the whole transaction is rolled back and the batch runs
    /// again guarded, each operation inside its own savepoint, so it is undone alone. Operation bodies are already
    /// written to be run again (see <see cref="OperationVerdict.RunAgain"/>), and nothing is published before COMMIT.
    /// </summary>
    async Task ExecuteBatchAsync(StoreSession session, List<WriteOperation> batch)
    {
        var guarded = false;
        for (var attempt = 1; ; attempt++)
        {
            var outcome = new BatchOutcome();
            try
            {
                await session.BeginWriteBatchAsync(InstanceIdsOf(batch), CancellationToken.None);
                if (guarded)
                {
                    foreach (var operation in batch) await RunGuardedAsync(session, operation, outcome);
                }
                else if (!await TryRunUnguardedAsync(session, batch, outcome))
                {
                    await session.TryRollbackAsync();
                    guarded = true;
                    attempt--;
                    continue;
                }
                await session.CommitAsync(CancellationToken.None);
            }
            catch (Exception e)
            {
                await session.TryRollbackAsync();
                if (session.IsUsable && session.Dialect.IsTransient(e) && attempt <= settings.MaxTransientRetries)
                {
                    StorageLog.WriteRetried(logger, e, attempt);
                    await Task.Delay(Backoff(attempt));
                    continue;
                }
                if (!guarded && session.IsUsable)
                {
                    // One operation's statements failed among the batch's: each runs alone in a savepoint now, so only
                    // that one fails (or settles on the error, as a fenced commit does on a duplicate history row).
                    guarded = true;
                    attempt--;
                    continue;
                }
                StorageLog.WriteBatchFailed(logger, e, batch.Count);
                FailAll(batch, e);
                return;
            }
            Publish(outcome);
            return;
        }
    }

    /// <summary>Runs every operation without savepoints and sends their deferred statements together; false as soon as one
    /// does not simply keep its changes. Errors propagate (the caller decides between retrying and running guarded).</summary>
    static async Task<bool> TryRunUnguardedAsync(StoreSession session, List<WriteOperation> batch, BatchOutcome outcome)
    {
        var settling = new List<WriteOperation>();
        foreach (var operation in batch)
        {
            var verdict = await operation.ExecuteAsync(session);
            if (verdict is null)
            {
                settling.Add(operation);
                continue;
            }
            if (verdict != OperationVerdict.Keep) return false;
            outcome.Done.Add(operation);
        }
        await session.FlushAsync(CancellationToken.None);
        foreach (var operation in settling)
        {
            if (operation.Settle(null) != OperationVerdict.Keep) return false;
            outcome.Done.Add(operation);
        }
        return true;
    }

    async Task RunGuardedAsync(StoreSession session, WriteOperation operation, BatchOutcome outcome)
    {
        // One name for every operation: a kept savepoint is released before the next is set, and ROLLBACK TO always
        // targets the latest one. A fixed text also keeps these statements from crowding the prepared-statement cache.
        const string savepoint = "operation";
        for (var run = 1; ; run++)
        {
            session.Savepoint(savepoint);
            OperationVerdict verdict;
            try
            {
                verdict = await operation.ExecuteAsync(session) ?? operation.Settle(await TryFlushAsync(session));
                await session.FlushAsync(CancellationToken.None);
            }
            catch (Exception e) when (session.IsUsable)
            {
                // Undo this operation only; if even that fails the exception ends the whole batch.
                await session.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                if (session.Dialect.IsTransient(e) && operation.TransientFailures++ < settings.MaxTransientRetries)
                    outcome.RunLater.Add(operation);
                else
                    outcome.Failed.Add((operation, e));
                return;
            }

            switch (verdict)
            {
                case OperationVerdict.Keep:
                    session.ReleaseSavepoint(savepoint);
                    outcome.Done.Add(operation);
                    return;
                case OperationVerdict.RollBack:
                    await session.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                    outcome.Done.Add(operation);
                    return;
                default:
                    await session.RollbackToSavepointAsync(savepoint, CancellationToken.None);
                    if (run < MaxRunsPerOperation) continue;
                    outcome.Failed.Add((operation, new InvalidOperationException(
                        "A write kept conflicting with concurrent writes and was given up.")));
                    return;
            }
        }
    }

    /// <summary>Sends the deferred statements; the error they failed with, if any, for an operation to settle on.</summary>
    static async Task<Exception?> TryFlushAsync(StoreSession session)
    {
        try
        {
            await session.FlushAsync(CancellationToken.None);
            return null;
        }
        catch (Exception e) when (session.IsUsable)
        {
            return e;
        }
    }

    void Publish(BatchOutcome outcome)
    {
        foreach (var operation in outcome.Done) operation.Complete();
        foreach (var (operation, error) in outcome.Failed) operation.Fail(error);
        foreach (var operation in outcome.RunLater) _ = RequeueAsync(operation);
    }

    /// <summary>A deadlock victim runs again in a later batch, after a jittered pause: retrying at once inside the
    /// same transaction would meet the same locks.</summary>
    async Task RequeueAsync(WriteOperation operation)
    {
        await Task.Delay(Backoff(operation.TransientFailures));
        if (!queue.Writer.TryWrite(operation))
            operation.Fail(new ObjectDisposedException(nameof(GroupCommitWriter), "The store closed before a retried write could run."));
    }

    static IReadOnlyCollection<string> InstanceIdsOf(List<WriteOperation> batch)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var operation in batch) ids.UnionWith(operation.InstanceIds);
        return ids;
    }

    static void FailAll(List<WriteOperation> batch, Exception exception)
    {
        foreach (var operation in batch) operation.Fail(exception);
    }

    static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(5, 25) * Math.Min(attempt, 8));

    sealed class BatchOutcome
    {
        public List<WriteOperation> Done { get; } = [];
        public List<(WriteOperation Operation, Exception Error)> Failed { get; } = [];
        public List<WriteOperation> RunLater { get; } = [];
    }
}
