using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Tests.Storage;

/// <summary>The SQLite writer's loop runs on its own thread: every continuation comes back to it, even after a truly
/// asynchronous await, and its failure reaches whoever waits for it.</summary>
public sealed class DedicatedThreadTests
{
    [Fact]
    public async Task Run_KeepsEveryContinuationOnItsOwnThread()
    {
        var threads = new List<(int Id, string? Name)>();
        await DedicatedThread.Run("writer-under-test", async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
                await Task.Delay(5);   // completes on a timer thread; the continuation is posted back
                await Task.Yield();
            }
            threads.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.Name));
        });

        Assert.Equal(6, threads.Count);
        Assert.Single(threads.Distinct());
        Assert.Equal("writer-under-test", threads[0].Name);
        Assert.NotEqual(Environment.CurrentManagedThreadId, threads[0].Id);
    }

    [Fact]
    public async Task Run_PassesTheLoopsFailureOn()
    {
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => DedicatedThread.Run("failing-writer", async () =>
        {
            await Task.Delay(1);
            throw new InvalidOperationException("disk gone");
        }));

        Assert.Equal("disk gone", failure.Message);
    }
}
