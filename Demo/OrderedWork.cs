using System.Threading.Channels;

namespace Baton.Demo;

/// <summary>Work run one item at a time, in the order it was queued, on a background loop: how the emulators send their
/// webhooks. <see cref="DrainedAsync"/> lets a test wait until everything queued so far has run.</summary>
sealed class OrderedWork : IAsyncDisposable
{
    readonly Channel<Func<Task>> queue = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });
    readonly Task pump;

    public OrderedWork() => pump = Task.Run(PumpAsync);

    public void Enqueue(Func<Task> work) => queue.Writer.TryWrite(work);

    /// <summary>Completes once every item queued before the call has run (at once after disposal).</summary>
    public Task DrainedAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!queue.Writer.TryWrite(() => { done.TrySetResult(); return Task.CompletedTask; })) done.TrySetResult();
        return done.Task;
    }

    async Task PumpAsync()
    {
        await foreach (var work in queue.Reader.ReadAllAsync())
            await work();
    }

    /// <summary>Runs what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await pump;
    }
}
