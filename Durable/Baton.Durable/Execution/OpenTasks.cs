using Baton.Durable.Serialization;

namespace Baton.Durable.Execution;

/// <summary>A durable task the orchestrator awaits: completed from history by sequence id.</summary>
abstract class OpenTask(string name)
{
    public string Name { get; } = name;
    public abstract void Complete(string? json);
    public abstract void Fail(Exception exception);
    public abstract void Cancel();
}

sealed class OpenTask<T>(string name) : OpenTask(name)
{
    readonly TaskCompletionSource<T> source = new();

    public Task<T> Task => source.Task;

    public override void Complete(string? json)
    {
        T value;
        try
        {
            value = DurableJson.Deserialize<T>(json);
        }
        catch (Exception e)
        {
            source.TrySetException(new InvalidOperationException(
                $"The result of '{Name}' could not be read as {typeof(T).Name}: {e.Message}", e));
            return;
        }
        source.TrySetResult(value);
    }

    public override void Fail(Exception exception) => source.TrySetException(exception);

    public override void Cancel() => source.TrySetCanceled();
}

/// <summary>Someone waiting for an external event of a given name.</summary>
sealed class EventWaiter<T>(string name) : OpenTask(name), IEventWaiter
{
    readonly TaskCompletionSource<T> source = new();

    public Task<T> Task => source.Task;
    public Type EventType => typeof(T);
    public bool IsLive => !source.Task.IsCompleted;

    public override void Complete(string? json)
    {
        try
        {
            source.TrySetResult(DurableJson.Deserialize<T>(json));
        }
        catch (Exception e)
        {
            source.TrySetException(new InvalidOperationException(
                $"The payload of event '{Name}' could not be read as {typeof(T).Name}: {e.Message}", e));
        }
    }

    public override void Fail(Exception exception) => source.TrySetException(exception);

    public override void Cancel() => source.TrySetCanceled();
}

interface IEventWaiter
{
    Type EventType { get; }
    bool IsLive { get; }
    void Complete(string? json);
}
