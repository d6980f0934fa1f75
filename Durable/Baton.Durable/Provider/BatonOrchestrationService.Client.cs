using Baton.Durable.Storage;
using DurableTask.Core;
using AlreadyExists = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Newtonsoft.Json;
using CorePurgeResult = DurableTask.Core.PurgeResult;

namespace Baton.Durable.Provider;

public sealed partial class BatonOrchestrationService
{
    /// <summary>A start replaces a finished instance with the same id, never a live one.</summary>
    static readonly OrchestrationStatus[] LiveStatuses =
        [OrchestrationStatus.Pending, OrchestrationStatus.Running, OrchestrationStatus.Suspended];

    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage) => CreateTaskOrchestrationAsync(creationMessage, null);

    /// <summary>
    /// Starts an instance in one transaction. An existing instance whose status is in <paramref name="dedupeStatuses"/>
    /// (default: any live status) makes it throw <see cref="AlreadyExists"/>; one in another status
    /// is replaced, history and all.
    /// </summary>
    public Task CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[]? dedupeStatuses) =>
        CreateTaskOrchestrationAsync(creationMessage, dedupeStatuses, idempotencyKey: null);

    /// <summary>
    /// Baton's own (no DTFx backend has it): a start carrying <paramref name="idempotencyKey"/> starts nothing when an
    /// instance started with that key exists, and returns that instance's id; otherwise it is
    /// <see cref="CreateTaskOrchestrationAsync(TaskMessage, OrchestrationStatus[])"/>.
    /// </summary>
    /// <returns>The id of the instance the start created, or the one the key started before.</returns>
    public async Task<string> CreateTaskOrchestrationAsync(TaskMessage creationMessage, OrchestrationStatus[]? dedupeStatuses,
        string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(creationMessage);
        if (creationMessage.Event is not ExecutionStartedEvent started)
            throw new ArgumentException("A creation message carries an ExecutionStartedEvent.", nameof(creationMessage));
        await MigrateAsync();
        var instance = NewInstanceFrom(started) with { IdempotencyKey = idempotencyKey };
        var result = await store.CreateInstanceAsync(instance,
            (dedupeStatuses ?? LiveStatuses).Select(s => (OrchestrationRuntimeStatus)s).ToArray());
        if (result.Outcome == CreateOutcome.AlreadyExists)
            throw new AlreadyExists(
                $"An orchestration with id '{instance.InstanceId}' already exists. It is {result.ExistingStatus}.");
        if (result.Outcome == CreateOutcome.Created) signals.Orchestrations.Set();
        return result.InstanceId;
    }

    /// <summary>Delivers an event, terminate, suspend or resume to the instance's current execution; a message for an
    /// instance that does not exist or has finished is dropped, as on every Durable Task backend.</summary>
    public async Task SendTaskOrchestrationMessageAsync(TaskMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        await MigrateAsync();
        if (message.Event is ExecutionStartedEvent)
        {
            await CreateTaskOrchestrationAsync(message, null);
            return;
        }
        await SendTaskOrchestrationMessageAsync(message, idempotencyKey: null);
    }

    /// <summary>
    /// Baton's own (no DTFx backend has it): delivers an event, terminate, suspend or resume to the instance's current
    /// execution and says what became of it. With <paramref name="idempotencyKey"/>, a message whose key this instance
    /// has seen before is not delivered again (<see cref="EnqueueOutcome.Duplicate"/>) until retention forgets the key
    /// (<c>Durable:Retention:MessageKeys</c>).
    /// </summary>
    public async Task<EnqueueResult> SendTaskOrchestrationMessageAsync(TaskMessage message, string? idempotencyKey)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Event is ExecutionStartedEvent)
            throw new ArgumentException("Start an instance with CreateTaskOrchestrationAsync.", nameof(message));
        await MigrateAsync();
        var result = await store.EnqueueMessageAsync(message.OrchestrationInstance.InstanceId, StoredEvents.ToStored(message.Event),
            idempotencyKey);
        if (result.Outcome == EnqueueOutcome.Enqueued) signals.Orchestrations.Set();
        return result;
    }

    public async Task SendTaskOrchestrationMessageBatchAsync(params TaskMessage[] messages)
    {
        foreach (var message in messages) await SendTaskOrchestrationMessageAsync(message);
    }

    public Task ForceTerminateTaskOrchestrationAsync(string instanceId, string reason) =>
        SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new ExecutionTerminatedEvent(-1, reason),
        });

    /// <summary>Waits until the instance finishes (completed, failed, terminated), or returns null after
    /// <paramref name="timeout"/>. Woken at once by a completion in this process; another process's is seen by polling
    /// (10 ms doubling to the maximum polling interval).</summary>
    public async Task<OrchestrationState?> WaitForOrchestrationAsync(string instanceId, string? executionId, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        // The gRPC sidecar waits with Timeout.InfiniteTimeSpan.
        var deadline = timeout < TimeSpan.Zero ? DateTimeOffset.MaxValue : time.GetUtcNow() + timeout;
        var idle = settings.MinPollingInterval;
        while (true)
        {
            var state = await GetOrchestrationStateAsync(instanceId, executionId);
            if (state is not null && ((OrchestrationRuntimeStatus)state.OrchestrationStatus).IsTerminal()) return state;
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return null;
            await signals.Completions.WaitAsync(left < idle ? left : idle, cancellationToken);
            idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, settings.MaxPollingInterval.Ticks));
        }
    }

    /// <summary>Only the current execution is kept, so "all executions" is at most one.</summary>
    public async Task<IList<OrchestrationState>> GetOrchestrationStateAsync(string instanceId, bool allExecutions) =>
        await GetOrchestrationStateAsync(instanceId, (string?)null) is { } state ? [state] : [];

    public async Task<OrchestrationState?> GetOrchestrationStateAsync(string instanceId, string? executionId)
    {
        await MigrateAsync();
        var record = await store.GetInstanceAsync(instanceId, includePayloads: true);
        if (record is null) return null;
        if (executionId is not null && !string.Equals(executionId, record.ExecutionId, StringComparison.Ordinal)) return null;
        return ToState(record);
    }

    /// <summary>The current execution's history as DTFx's JSON (the events with their type names).</summary>
    public async Task<string> GetOrchestrationHistoryAsync(string instanceId, string? executionId)
    {
        await MigrateAsync();
        var events = (await store.GetHistoryAsync(instanceId)).Select(e => StoredEvents.FromStored(e, instanceId)).ToList();
        return JsonConvert.SerializeObject(events, HistorySerializer);
    }

    static readonly JsonSerializerSettings HistorySerializer = new() { TypeNameHandling = TypeNameHandling.Objects };

    /// <summary>Purges finished instances created (or completed) before <paramref name="thresholdDateTimeUtc"/>.</summary>
    public async Task PurgeOrchestrationHistoryAsync(DateTime thresholdDateTimeUtc, OrchestrationStateTimeRangeFilterType timeRangeFilterType)
    {
        await MigrateAsync();
        var filter = timeRangeFilterType == OrchestrationStateTimeRangeFilterType.OrchestrationCreatedTimeFilter
            ? new PurgeFilter { CreatedTo = thresholdDateTimeUtc }
            : new PurgeFilter { CompletedBefore = thresholdDateTimeUtc };
        Storage.PurgeResult result;
        do result = await store.PurgeInstancesAsync(filter);
        while (result.HasMore);
    }

    public async Task<OrchestrationQueryResult> GetOrchestrationWithQueryAsync(OrchestrationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await MigrateAsync();
        var page = await store.QueryInstancesAsync(new InstanceQuery
        {
            CreatedFrom = query.CreatedTimeFrom,
            CreatedTo = query.CreatedTimeTo,
            Statuses = query.RuntimeStatus?.Select(s => (OrchestrationRuntimeStatus)s).ToArray(),
            InstanceIdPrefix = query.InstanceIdPrefix,
            PageSize = query.PageSize,
            IncludePayloads = query.FetchInputsAndOutputs,
            ContinuationToken = query.ContinuationToken,
        }, cancellationToken);
        return new OrchestrationQueryResult(page.Instances.Select(ToState).ToList(), page.ContinuationToken);
    }

    /// <summary>Deletes one finished instance and everything it stored; a live or unknown one is left alone (0 purged).</summary>
    public async Task<CorePurgeResult> PurgeInstanceStateAsync(string instanceId)
    {
        await MigrateAsync();
        var outcome = await store.PurgeInstanceAsync(instanceId, recursive: false);
        return new CorePurgeResult(outcome == PurgeOutcome.Purged ? 1 : 0);
    }

    /// <summary>Deletes the finished instances the filter selects, in batches, until none is left or the filter's timeout
    /// passes (then the result says it is not complete).</summary>
    public async Task<CorePurgeResult> PurgeInstanceStateAsync(PurgeInstanceFilter purgeInstanceFilter)
    {
        ArgumentNullException.ThrowIfNull(purgeInstanceFilter);
        await MigrateAsync();
        var deadline = purgeInstanceFilter.Timeout is { } timeout ? time.GetUtcNow() + timeout : DateTimeOffset.MaxValue;
        var filter = new PurgeFilter
        {
            CreatedFrom = purgeInstanceFilter.CreatedTimeFrom == default ? null : purgeInstanceFilter.CreatedTimeFrom,
            CreatedTo = purgeInstanceFilter.CreatedTimeTo,
            Statuses = purgeInstanceFilter.RuntimeStatus?.Select(s => (OrchestrationRuntimeStatus)s).ToArray(),
        };
        var purged = 0;
        while (true)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero) return new CorePurgeResult(purged, isComplete: false);
            var result = await store.PurgeInstancesAsync(left < filter.TimeBudget ? filter with { TimeBudget = left } : filter);
            purged += result.PurgedInstanceCount;
            if (!result.HasMore) return new CorePurgeResult(purged, isComplete: true);
        }
    }

    static OrchestrationState ToState(InstanceRecord record) => new()
    {
        OrchestrationInstance = new OrchestrationInstance { InstanceId = record.InstanceId, ExecutionId = record.ExecutionId },
        Name = record.Name,
        Version = record.Version,
        OrchestrationStatus = (OrchestrationStatus)record.Status,
        Status = record.CustomStatus,
        Input = record.Input,
        Output = record.Output,
        FailureDetails = StoredEvents.FromStored(record.Failure),
        CreatedTime = record.CreatedAt,
        LastUpdatedTime = record.LastUpdatedAt,
        CompletedTime = record.CompletedAt ?? DateTime.MinValue,
        Tags = new Dictionary<string, string>(record.Tags ?? new Dictionary<string, string>(), StringComparer.Ordinal),
        ParentInstance = StoredEvents.FromStored(record.Parent),
    };
}
