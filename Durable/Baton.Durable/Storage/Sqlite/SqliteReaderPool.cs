using System.Collections.Concurrent;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage.Sqlite;

/// <summary>A few read connections, opened on demand and reused (each keeps its prepared statements). With WAL they
/// read a consistent snapshot while the writer commits.</summary>
internal sealed class SqliteReaderPool(Func<SqliteSession> open, int size) : IAsyncDisposable
{
    readonly SemaphoreSlim slots = new(size, size);
    readonly ConcurrentBag<SqliteSession> idle = [];

    public async Task<T> RunAsync<T>(Func<StoreSession, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        await slots.WaitAsync(cancellationToken);
        SqliteSession? session = null;
        try
        {
            session = idle.TryTake(out var reused) ? reused : open();
            return await read(session, cancellationToken);
        }
        finally
        {
            if (session is { IsUsable: true }) idle.Add(session);
            else if (session is not null) await session.DisposeAsync();
            slots.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        while (idle.TryTake(out var session)) await session.DisposeAsync();
    }
}
