namespace Baton.Durable.Hosting;

/// <summary>
/// Completes once the store's migrations are applied. The web server can take requests before the worker has
/// migrated a fresh database, so client calls wait on this instead of failing on a missing table.
/// </summary>
public sealed class StoreReadiness
{
    readonly TaskCompletionSource migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Already complete: for clients used without a worker (the store was migrated elsewhere).</summary>
    public static StoreReadiness Ready()
    {
        var readiness = new StoreReadiness();
        readiness.SetMigrated();
        return readiness;
    }

    public Task Migrated => migrated.Task;

    public void SetMigrated() => migrated.TrySetResult();

    public void SetFailed(Exception exception) => migrated.TrySetException(exception);

    internal ValueTask WaitAsync(CancellationToken cancellationToken) =>
        migrated.Task.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(migrated.Task.WaitAsync(cancellationToken));
}
