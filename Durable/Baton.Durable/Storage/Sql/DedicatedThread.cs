using System.Collections.Concurrent;

namespace Baton.Durable.Storage.Sql;

/// <summary>
/// Runs an asynchronous loop on a thread of its own: a synchronization context posts every continuation of the loop
/// back to that thread. For a store whose calls complete synchronously (SQLite, its fsync included) the loop then
/// blocks only its own thread and never hops between thread-pool threads, which stay free for the requests.
/// </summary>
internal sealed class DedicatedThread : SynchronizationContext
{
    readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> work = new();

    DedicatedThread()
    {
    }

    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task ends when the loop does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new DedicatedThread();
            SetSynchronizationContext(context);
            Task task;
            try
            {
                task = loop();
            }
            catch (Exception e)
            {
                task = Task.FromException(e);
            }
            task.ContinueWith(_ => context.work.CompleteAdding(), TaskScheduler.Default);
            foreach (var (callback, state) in context.work.GetConsumingEnumerable()) callback(state);
            if (task.Exception is { } error) finished.SetException(error.InnerExceptions);
            else finished.SetResult();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return finished.Task;
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            work.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The loop has ended; a straggling continuation runs on the pool instead.
            ThreadPool.QueueUserWorkItem(s => d(s), state, preferLocal: false);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("A dedicated writer thread only accepts posted work.");

    public override SynchronizationContext CreateCopy() => this;
}
