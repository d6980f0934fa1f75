using Baton.Durable.Storage.Sql;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Storage.Sqlite;

/// <summary>
/// Copies committed WAL frames back into the database file from a connection and a thread of its own. Left to SQLite,
/// the checkpoint runs inside the COMMIT that crosses <c>wal_autocheckpoint</c>, on the group-commit writer: every write
/// waits while it reads the WAL back and fsyncs the file. The writer keeps that threshold only as a backstop
/// (<see cref="WriterBackstopPages"/>); by the time it is crossed this thread has copied nearly everything, so the
/// writer's own checkpoint is short (under a webhook burst: wrk p99 ~15 ms against ~27 ms without this thread).
/// </summary>
/// <remarks>
/// <c>PASSIVE</c> never waits for the writer or a reader: it copies what it can and returns. SQLite starts the WAL over
/// at the writer's next transaction once everything in it has been copied. While the WAL does not change this backs off
/// to one cheap look a second.
/// </remarks>
internal sealed class SqliteCheckpointer : IAsyncDisposable
{
    /// <summary>The writer's own checkpoint threshold: 64 MiB at 4 KiB pages, against SQLite's default of 1,000 pages.
    /// Copying the WAL that often (every few dozen milliseconds under a burst) re-copied the same hot pages each time;
    /// at 16,384 webhook intake was ~17 % faster (docs/benchmarks.md), at 4,096 slower, at 32,768 no faster.</summary>
    public const int WriterBackstopPages = 16_384;

    static readonly TimeSpan BusyInterval = TimeSpan.FromMilliseconds(100);
    static readonly TimeSpan IdleInterval = TimeSpan.FromSeconds(1);
    static readonly SqlStatement Checkpoint = new("PRAGMA wal_checkpoint(PASSIVE)");

    readonly CancellationTokenSource stopping = new();
    readonly Task loop;

    public SqliteCheckpointer(Func<StoreSession> open, ILogger logger)
    {
        loop = DedicatedThread.Run("baton-checkpoint", () => RunAsync(open, logger, stopping.Token));
    }

    async Task RunAsync(Func<StoreSession> open, ILogger logger, CancellationToken cancellationToken)
    {
        StoreSession session;
        try
        {
            session = open();
        }
        catch (SqliteException e)
        {
            StorageLog.CheckpointFailed(logger, e);
            return;
        }
        await using var _ = session;
        var wait = BusyInterval;
        long lastFrames = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // One row: busy, frames in the WAL, frames copied back. The WAL changed since the last look: the writer
                // is writing, look again soon; otherwise back off.
                var frames = (await session.QueryAsync(Checkpoint, r => r.GetInt64(1), cancellationToken))[0];
                wait = frames != lastFrames ? BusyInterval : TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, IdleInterval.Ticks));
                lastFrames = frames;
            }
            catch (SqliteException e)
            {
                // Meanwhile the writer's backstop keeps the WAL bounded.
                StorageLog.CheckpointFailed(logger, e);
                wait = IdleInterval;
            }
            try
            {
                await Task.Delay(wait, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await loop;
        stopping.Dispose();
    }
}
