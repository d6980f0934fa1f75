using Baton.Durable.History;
using Baton.Durable.Hosting;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Baton.Durable.Worker;

namespace Baton.Durable;

/// <summary>
/// Starts, signals, inspects and cleans up orchestration instances (ENGINE.md §1.5). Every call is one
/// store operation; nothing here runs orchestration code.
/// </summary>
public sealed class DurableTaskClient(IDurableStore store, DurableRegistry registry, WorkSignals signals, TimeProvider? time = null,
    StoreReadiness? readiness = null)
{
    readonly TimeProvider clock = time ?? TimeProvider.System;
    readonly StoreReadiness storeReadiness = readiness ?? StoreReadiness.Ready();

    /// <summary>Schedules a new instance and returns its id once the start is durably recorded (status Pending).</summary>
    /// <exception cref="ArgumentException">No orchestrator has that name.</exception>
    /// <exception cref="OrchestrationAlreadyExistsException">The id exists in a dedupe status.</exception>
    public async Task<string> ScheduleNewOrchestrationInstanceAsync(
        string name, object? input = null, StartOrchestrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!registry.HasOrchestrator(name))
            throw new ArgumentException($"No orchestrator named '{name}' is registered.", nameof(name));
        options ??= new StartOrchestrationOptions();
        var instanceId = options.InstanceId ?? Guid.NewGuid().ToString("N");
        InstanceIds.Validate(instanceId);

        var instance = new NewInstance(
            instanceId, NewExecutionId(), name, options.Version, DurableJson.Serialize(input),
            options.StartAt?.UtcDateTime, options.Tags, Parent: null, options.IdempotencyKey);
        await storeReadiness.WaitAsync(cancellationToken);
        var result = await store.CreateInstanceAsync(instance, options.DedupeStatuses ?? StartOrchestrationOptions.DefaultDedupeStatuses, cancellationToken);
        if (result.Outcome == CreateOutcome.AlreadyExists)
            throw new OrchestrationAlreadyExistsException(instanceId, result.ExistingStatus ?? OrchestrationRuntimeStatus.Pending);
        signals.Orchestrations.Set();
        return result.InstanceId;
    }

    /// <summary>Raises an event. With an idempotency key, a repeated raise is a no-op (until retention forgets the key,
    /// <c>Durable:Retention:MessageKeys</c>).</summary>
    /// <returns>True when the event was enqueued; false when <paramref name="idempotencyKey"/> was used before.</returns>
    /// <exception cref="InstanceNotFoundException"/>
    /// <exception cref="InstanceTerminalException"/>
    public async Task<bool> RaiseEventAsync(string instanceId, string eventName, object? payload = null,
        string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var message = new HistoryEvent(HistoryEventType.EventRaised, Now) { Name = eventName, Data = DurableJson.Serialize(payload) };
        return await EnqueueAsync(instanceId, message, idempotencyKey, cancellationToken) == EnqueueOutcome.Enqueued;
    }

    /// <summary>Terminates a running instance; with <paramref name="recursive"/> its running sub-orchestrations too.</summary>
    public Task TerminateInstanceAsync(string instanceId, string? reason = null, bool recursive = false,
        CancellationToken cancellationToken = default) =>
        EnqueueAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionTerminated, Now) { Reason = reason, Recursive = recursive },
            null, cancellationToken);

    public Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionSuspended, Now) { Reason = reason }, null, cancellationToken);

    public Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellationToken = default) =>
        EnqueueAsync(instanceId, new HistoryEvent(HistoryEventType.ExecutionResumed, Now) { Reason = reason }, null, cancellationToken);

    public async Task<OrchestrationMetadata?> GetInstanceAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellationToken = default)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        var record = await store.GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken);
        return record is null ? null : OrchestrationMetadata.From(record);
    }

    public async Task<OrchestrationPage> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        var page = await store.QueryInstancesAsync(query, cancellationToken);
        return new OrchestrationPage(page.Instances.Select(OrchestrationMetadata.From).ToList(), page.ContinuationToken);
    }

    public async Task<IReadOnlyList<HistoryEvent>> GetHistoryAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        return await store.GetHistoryAsync(instanceId, cancellationToken);
    }

    public async Task<PurgeOutcome> PurgeInstanceAsync(string instanceId, bool recursive = false, CancellationToken cancellationToken = default)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        return await store.PurgeInstanceAsync(instanceId, recursive, cancellationToken);
    }

    public async Task<PurgeResult> PurgeInstancesAsync(PurgeFilter filter, CancellationToken cancellationToken = default)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        return await store.PurgeInstancesAsync(filter, cancellationToken);
    }

    /// <summary>Waits until the instance is terminal; returns its final state.</summary>
    /// <exception cref="InstanceNotFoundException"/>
    public Task<OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId, bool getInputsAndOutputs = true,
        CancellationToken cancellationToken = default) =>
        WaitForAsync(instanceId, getInputsAndOutputs, static m => m.IsCompleted, cancellationToken);

    /// <summary>Waits until the instance has left Pending.</summary>
    public Task<OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellationToken = default) =>
        WaitForAsync(instanceId, getInputsAndOutputs, static m => m.RuntimeStatus != OrchestrationRuntimeStatus.Pending, cancellationToken);

    async Task<OrchestrationMetadata> WaitForAsync(string instanceId, bool getInputsAndOutputs,
        Func<OrchestrationMetadata, bool> done, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(20);
        while (true)
        {
            var metadata = await GetInstanceAsync(instanceId, getInputsAndOutputs, cancellationToken)
                ?? throw new InstanceNotFoundException(instanceId);
            if (done(metadata)) return metadata;
            // Local completions wake us at once; other processes' progress is seen by polling.
            await signals.Completions.WaitAsync(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 500));
        }
    }

    async Task<EnqueueOutcome> EnqueueAsync(string instanceId, HistoryEvent message, string? dedupeKey, CancellationToken cancellationToken)
    {
        await storeReadiness.WaitAsync(cancellationToken);
        var result = await store.EnqueueMessageAsync(instanceId, message, dedupeKey, cancellationToken);
        switch (result.Outcome)
        {
            case EnqueueOutcome.NotFound: throw new InstanceNotFoundException(instanceId);
            case EnqueueOutcome.Terminal: throw new InstanceTerminalException(instanceId, result.Status ?? OrchestrationRuntimeStatus.Completed);
            case EnqueueOutcome.Enqueued: signals.Orchestrations.Set(); break;
        }
        return result.Outcome;
    }

    DateTime Now => clock.GetUtcNow().UtcDateTime;

    internal static string NewExecutionId() => Guid.NewGuid().ToString("N");
}
