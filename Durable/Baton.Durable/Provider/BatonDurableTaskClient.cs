using DurableTask.Core;
using DurableTask.Core.History;
using DurableTask.Core.Query;
using Microsoft.DurableTask;
using Sdk = Microsoft.DurableTask;
using Microsoft.Extensions.Options;
using Client = Microsoft.DurableTask.Client;
using CoreStatus = DurableTask.Core.OrchestrationStatus;

namespace Baton.Durable.Provider;

/// <summary>
/// The Durable Task SDK's client (<see cref="Client.DurableTaskClient"/>) over an <see cref="IOrchestrationServiceClient"/>,
/// for a host that runs its worker in-process on a DTFx storage provider: starts, events, waits, terminate (recursive),
/// suspend, resume, queries and purges go straight to storage, with no sidecar in between.
/// </summary>
public sealed class BatonDurableTaskClient : Client.DurableTaskClient
{
    readonly IOrchestrationServiceClient service;
    readonly DataConverter converter;
    readonly TimeSpan pollingInterval;

    [Microsoft.Extensions.DependencyInjection.ActivatorUtilitiesConstructor]
    public BatonDurableTaskClient(string name, IOrchestrationServiceClient service, IOptionsMonitor<Client.DurableTaskClientOptions> options)
        : this(name, service, options.Get(name).DataConverter)
    {
    }

    public BatonDurableTaskClient(string name, IOrchestrationServiceClient service, DataConverter converter,
        TimeSpan? pollingInterval = null)
        : base(name)
    {
        this.service = service;
        this.converter = converter;
        this.pollingInterval = pollingInterval ?? TimeSpan.FromMilliseconds(200);
        if (service is not IOrchestrationServiceQueryClient || service is not IOrchestrationServicePurgeClient)
            throw new ArgumentException("The service must also implement the query and purge client interfaces.", nameof(service));
    }

    static readonly CoreStatus[] LiveStatuses = [CoreStatus.Pending, CoreStatus.Running, CoreStatus.Suspended];

    IOrchestrationServiceQueryClient Queries => (IOrchestrationServiceQueryClient)service;

    IOrchestrationServicePurgeClient Purges => (IOrchestrationServicePurgeClient)service;

    public override async Task<string> ScheduleNewOrchestrationInstanceAsync(TaskName orchestratorName, object? input = null,
        Sdk.StartOrchestrationOptions? options = null, CancellationToken cancellation = default)
    {
        var (message, dedupe) = StartMessage(orchestratorName, input, options);
        cancellation.ThrowIfCancellationRequested();
        await service.CreateTaskOrchestrationAsync(message, dedupe);
        return message.OrchestrationInstance.InstanceId;
    }

    /// <summary>True when this client is over Baton's own provider, which keeps idempotency keys
    /// (<see cref="StartOrchestrationOnceAsync"/>, <see cref="RaiseEventOnceAsync"/>); no other Durable Task backend does.</summary>
    public bool SupportsIdempotencyKeys => service is BatonOrchestrationService;

    /// <summary>
    /// Baton's providers only (<see cref="SupportsIdempotencyKeys"/>): a start that a repeated request with the same
    /// <paramref name="idempotencyKey"/> does not repeat. It returns the id of the instance the key started first.
    /// </summary>
    /// <exception cref="NotSupportedException">The backend is not Baton's.</exception>
    public async Task<string> StartOrchestrationOnceAsync(TaskName orchestratorName, object? input, Sdk.StartOrchestrationOptions? options,
        string idempotencyKey, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var baton = Baton();
        var (message, dedupe) = StartMessage(orchestratorName, input, options);
        cancellation.ThrowIfCancellationRequested();
        return await baton.CreateTaskOrchestrationAsync(message, dedupe, idempotencyKey);
    }

    /// <summary>
    /// Baton's providers only (<see cref="SupportsIdempotencyKeys"/>): raises an event unless this instance already got
    /// one with <paramref name="idempotencyKey"/>, and says what became of it: enqueued, a duplicate, or not delivered
    /// because the instance does not exist or has finished (which <see cref="RaiseEventAsync"/> cannot tell).
    /// </summary>
    /// <exception cref="NotSupportedException">The backend is not Baton's.</exception>
    public Task<Storage.EnqueueResult> RaiseEventOnceAsync(string instanceId, string eventName, object? eventPayload,
        string idempotencyKey, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        var baton = Baton();
        cancellation.ThrowIfCancellationRequested();
        return baton.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName },
        }, idempotencyKey);
    }

    BatonOrchestrationService Baton() => service as BatonOrchestrationService
        ?? throw new NotSupportedException($"Idempotency keys are kept by Baton's storage providers only, not by {service.GetType().Name}.");

    (TaskMessage Message, CoreStatus[] Dedupe) StartMessage(TaskName orchestratorName, object? input, Sdk.StartOrchestrationOptions? options)
    {
        var instanceId = options?.InstanceId ?? Guid.NewGuid().ToString("N");
        var started = new ExecutionStartedEvent(-1, converter.Serialize(input))
        {
            Name = orchestratorName.Name,
            Version = options?.Version?.Version,
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") },
            ScheduledStartTime = options?.StartAt?.UtcDateTime,
            Tags = options?.Tags is { Count: > 0 } tags ? new Dictionary<string, string>(tags, StringComparer.Ordinal) : null,
        };
        // Without dedupe statuses the SDK leaves the choice to the backend, and Azure Storage would replace a live
        // instance; Baton's hosts rely on deterministic ids being refused while live, on every backend.
        var dedupe = options?.DedupeStatuses?.Select(Enum.Parse<CoreStatus>).ToArray() ?? LiveStatuses;
        return (new TaskMessage { Event = started, OrchestrationInstance = started.OrchestrationInstance }, dedupe);
    }

    public override Task RaiseEventAsync(string instanceId, string eventName, object? eventPayload = null,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentException.ThrowIfNullOrEmpty(eventName);
        return SendAsync(instanceId, new EventRaisedEvent(-1, converter.Serialize(eventPayload)) { Name = eventName });
    }

    public override async Task TerminateInstanceAsync(string instanceId, Client.TerminateInstanceOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var output = converter.Serialize(options?.Output);
        if (options?.Recursive == true)
        {
            // Children first is not needed: a terminated parent ignores whatever its children send it later.
            foreach (var child in await LiveChildrenAsync(instanceId, cancellation))
                await TerminateInstanceAsync(child, options, cancellation);
        }
        await service.ForceTerminateTaskOrchestrationAsync(instanceId, output);
    }

    public override Task SuspendInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionSuspendedEvent(-1, reason));

    public override Task ResumeInstanceAsync(string instanceId, string? reason = null, CancellationToken cancellation = default) =>
        SendAsync(instanceId, new ExecutionResumedEvent(-1, reason));

    public override async Task<Client.OrchestrationMetadata?> GetInstancesAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var state = (await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault();
        return state is null ? null : ToMetadata(await WithFailureDetailsAsync(state), getInputsAndOutputs);
    }

    public override Sdk.AsyncPageable<Client.OrchestrationMetadata> GetAllInstancesAsync(Client.OrchestrationQuery? filter = null) =>
        Pageable.Create(async (string? token, int? pageSize, CancellationToken cancellation) =>
        {
            var result = await Queries.GetOrchestrationWithQueryAsync(new OrchestrationQuery
            {
                RuntimeStatus = filter?.Statuses?.Select(s => (CoreStatus)s).ToList(),
                CreatedTimeFrom = filter?.CreatedFrom?.UtcDateTime,
                CreatedTimeTo = filter?.CreatedTo?.UtcDateTime,
                InstanceIdPrefix = filter?.InstanceIdPrefix,
                PageSize = pageSize ?? filter?.PageSize ?? Client.OrchestrationQuery.DefaultPageSize,
                ContinuationToken = token ?? filter?.ContinuationToken,
                FetchInputsAndOutputs = filter?.FetchInputsAndOutputs ?? false,
            }, cancellation);
            var fetch = filter?.FetchInputsAndOutputs ?? false;
            var states = new List<OrchestrationState>(result.OrchestrationState.Count);
            foreach (var state in result.OrchestrationState) states.Add(await WithFailureDetailsAsync(state));
            return new Page<Client.OrchestrationMetadata>(states.Select(s => ToMetadata(s, fetch)).ToList(), result.ContinuationToken);
        });

    public override async Task<Client.OrchestrationMetadata> WaitForInstanceStartAsync(string instanceId, bool getInputsAndOutputs = false,
        CancellationToken cancellation = default)
    {
        while (true)
        {
            var metadata = await GetInstancesAsync(instanceId, getInputsAndOutputs, cancellation);
            if (metadata is not null && metadata.RuntimeStatus != Client.OrchestrationRuntimeStatus.Pending) return metadata;
            await Task.Delay(pollingInterval, cancellation);
        }
    }

    public override async Task<Client.OrchestrationMetadata> WaitForInstanceCompletionAsync(string instanceId,
        bool getInputsAndOutputs = false, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        while (true)
        {
            // The provider wakes this at once for a completion in this process and polls for others.
            var state = await service.WaitForOrchestrationAsync(instanceId, null, TimeSpan.FromSeconds(30), cancellation);
            if (state is not null) return ToMetadata(await WithFailureDetailsAsync(state), getInputsAndOutputs);
            cancellation.ThrowIfCancellationRequested();
        }
    }

    public override async Task<Client.PurgeResult> PurgeInstanceAsync(string instanceId, Client.PurgeInstanceOptions? options = null,
        CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var children = options?.Recursive == true ? await ChildrenAsync(instanceId, cancellation) : [];
        // The SDK purges only finished instances (a live or unknown one counts 0). Baton's provider checks that itself
        // in the purge's transaction; Azure Storage would delete a live instance, so it is checked here first (an
        // instance restarted between the check and the purge would still be deleted there).
        var state = (await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault();
        var finished = state is not null && ((OrchestrationRuntimeStatus)state.OrchestrationStatus).IsTerminal();
        var purged = finished ? (await Purges.PurgeInstanceStateAsync(instanceId)).DeletedInstanceCount : 0;
        foreach (var child in children)
            purged += (await PurgeInstanceAsync(child, options, cancellation)).PurgedInstanceCount;
        return new Client.PurgeResult(purged);
    }

    public override async Task<Client.PurgeResult> PurgeAllInstancesAsync(Client.PurgeInstancesFilter filter,
        Client.PurgeInstanceOptions? options = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = await Purges.PurgeInstanceStateAsync(new PurgeInstanceFilter(
            filter.CreatedFrom?.UtcDateTime ?? default, filter.CreatedTo?.UtcDateTime,
            filter.Statuses?.Select(s => (CoreStatus)s).ToList())
        {
            Timeout = filter.Timeout,
        });
        return new Client.PurgeResult(result.DeletedInstanceCount, result.IsComplete);
    }

    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;

    Task SendAsync(string instanceId, HistoryEvent e)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        return service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = e,
        });
    }

    /// <summary>Sub-orchestrations started by <paramref name="instanceId"/>, read from its history.</summary>
    async Task<IReadOnlyList<string>> ChildrenAsync(string instanceId, CancellationToken cancellation)
    {
        var history = await service.GetOrchestrationHistoryAsync(instanceId, null);
        return Newtonsoft.Json.Linq.JArray.Parse(history)
            .Where(e => (int?)e["EventType"] == (int)EventType.SubOrchestrationInstanceCreated)
            .Select(e => (string?)e["InstanceId"])
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    async Task<IReadOnlyList<string>> LiveChildrenAsync(string instanceId, CancellationToken cancellation)
    {
        var live = new List<string>();
        foreach (var child in await ChildrenAsync(instanceId, cancellation))
        {
            var state = (await service.GetOrchestrationStateAsync(child, allExecutions: false)).FirstOrDefault();
            if (state is not null && !((OrchestrationRuntimeStatus)state.OrchestrationStatus).IsTerminal()) live.Add(child);
        }
        return live;
    }

    /// <summary>
    /// A failed instance's failure details. Baton's provider keeps them on the instance; Azure Storage keeps only a
    /// "type: message" output there, and the details (with inner failures) on the history's completion event.
    /// </summary>
    async Task<OrchestrationState> WithFailureDetailsAsync(OrchestrationState state)
    {
        if (state.OrchestrationStatus != CoreStatus.Failed || state.FailureDetails is not null) return state;
        var history = await service.GetOrchestrationHistoryAsync(state.OrchestrationInstance.InstanceId,
            state.OrchestrationInstance.ExecutionId);
        state.FailureDetails = Newtonsoft.Json.Linq.JArray.Parse(history)
            .LastOrDefault(e => (int?)e["EventType"] == (int)EventType.ExecutionCompleted)?["FailureDetails"]
            ?.ToObject<FailureDetails>();
        return state;
    }

    Client.OrchestrationMetadata ToMetadata(OrchestrationState state, bool includePayloads) =>
        new(state.Name, state.OrchestrationInstance.InstanceId)
        {
            DataConverter = converter,
            RuntimeStatus = (Client.OrchestrationRuntimeStatus)state.OrchestrationStatus,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.CreatedTime, DateTimeKind.Utc)),
            LastUpdatedAt = new DateTimeOffset(DateTime.SpecifyKind(state.LastUpdatedTime, DateTimeKind.Utc)),
            SerializedInput = includePayloads ? state.Input : null,
            SerializedOutput = includePayloads ? state.Output : null,
            SerializedCustomStatus = includePayloads ? state.Status : null,
            FailureDetails = ToSdk(state.FailureDetails),
            Tags = state.Tags is null ? new Dictionary<string, string>() : new Dictionary<string, string>(state.Tags),
        };

    static Sdk.TaskFailureDetails? ToSdk(FailureDetails? f) => f is null
        ? null
        : new Sdk.TaskFailureDetails(f.ErrorType, f.ErrorMessage, f.StackTrace, ToSdk(f.InnerFailure), f.Properties);
}
