using System.Security.Cryptography;
using System.Text;
using Baton.Durable.History;
using Baton.Durable.Serialization;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Execution;

/// <summary>
/// The replaying implementation of <see cref="TaskOrchestrationContext"/>. Each scheduling call takes the
/// next sequence id and records a pending action; history either matches that action (replay) or the
/// action is new and becomes part of this episode's commit.
/// </summary>
sealed class ReplayContext(
    string name,
    string instanceId,
    string executionId,
    EpisodeSynchronizationContext syncContext,
    ILoggerFactory loggerFactory,
    TimeSpan defaultActivityTimeout,
    int maxPayloadBytes) : TaskOrchestrationContext
{
    int nextSequence;
    int guidCounter;
    readonly SortedDictionary<int, PendingAction> pendingActions = new();
    readonly Dictionary<int, OpenTask> openTasks = new();
    readonly Dictionary<string, LinkedList<IEventWaiter>> waiters = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, Queue<string?>> bufferedEvents = new(StringComparer.OrdinalIgnoreCase);
    readonly List<string> bufferedOrder = [];
    readonly Dictionary<int, string> runningChildren = new();

    public override string Name { get; } = name;
    public override string InstanceId { get; } = instanceId;
    public string ExecutionId { get; } = executionId;
    public override string? Version => StartEvent?.Version;
    public override ParentOrchestrationInstance? Parent => StartEvent?.Parent;
    public override DateTime CurrentUtcDateTime => currentUtc;
    public override bool IsReplaying => isReplaying;

    internal HistoryEvent? StartEvent { get; set; }
    internal DateTime currentUtc;
    internal bool isReplaying;
    internal string? CustomStatus { get; private set; }
    internal ContinueAsNewOptions? ContinueAsNewRequest { get; private set; }

    internal IReadOnlyDictionary<int, PendingAction> PendingActions => pendingActions;
    internal int OpenTaskCount => openTasks.Count + waiters.Values.Sum(w => w.Count(x => x.IsLive));
    internal IReadOnlyDictionary<int, string> RunningChildren => runningChildren;

    public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        CheckCall(name, input);
        if (options?.Retry is { } policy)
            return WithRetry(policy, name, options.Timeout, timeout => ScheduleActivity<TResult>(name, input, timeout));
        return ScheduleActivity<TResult>(name, input, options?.Timeout);
    }

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null)
    {
        CheckCall(name, input);
        var chosenId = (options as SubOrchestrationOptions)?.InstanceId;
        if (options?.Retry is { } policy)
        {
            var attempt = 0;
            return WithRetry(policy, name, null, _ =>
            {
                attempt++;
                var id = chosenId is null ? null : attempt == 1 ? chosenId : $"{chosenId}:{attempt}";
                return ScheduleChild<TResult>(name, input, id, options.Tags);
            });
        }
        return ScheduleChild<TResult>(name, input, chosenId, options?.Tags);
    }

    public override Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken = default)
    {
        CheckThread();
        var seq = nextSequence++;
        var fireAt = DateTime.SpecifyKind(fireAtUtc, DateTimeKind.Utc);
        var open = new OpenTask<Unit>("timer");
        pendingActions.Add(seq, new PendingAction(HistoryEventType.TimerCreated, "timer") { FireAt = fireAt });
        openTasks.Add(seq, open);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                // A cancelled timer no longer keeps the orchestration waiting; its row fires later and is ignored.
                if (openTasks.Remove(seq)) open.Cancel();
            });
        }
        return open.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        CheckThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        if (bufferedEvents.TryGetValue(eventName, out var buffer) && buffer.Count > 0)
        {
            var waiter = new EventWaiter<T>(eventName);
            waiter.Complete(buffer.Dequeue());
            RemoveFromBufferOrder(eventName);
            return waiter.Task;
        }
        if (!waiters.TryGetValue(eventName, out var queue)) waiters[eventName] = queue = new LinkedList<IEventWaiter>();
        if (queue.First is { } existing && existing.Value.EventType != typeof(T))
            throw new InvalidOperationException(
                $"Waiters of event '{eventName}' must all use one type; {existing.Value.EventType.Name} is waiting and {typeof(T).Name} was asked for.");
        var live = new EventWaiter<T>(eventName);
        var node = queue.AddLast(live);
        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(() =>
            {
                // A cancelled waiter leaves the queue so it can never swallow a later event.
                if (node.List is not null) queue.Remove(node);
                live.Cancel();
            });
        }
        return live.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object? payload = null)
    {
        CheckThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(instanceId);
        ArgumentException.ThrowIfNullOrWhiteSpace(eventName);
        var seq = nextSequence++;
        pendingActions.Add(seq, new PendingAction(HistoryEventType.EventSent, eventName)
        {
            TargetInstanceId = instanceId,
            Input = Serialize(payload, eventName),
        });
    }

    public override void SetCustomStatus(object? customStatus)
    {
        CheckThread();
        CustomStatus = Serialize(customStatus, "custom status");
    }

    public override void ContinueAsNew(ContinueAsNewOptions options)
    {
        CheckThread();
        ContinueAsNewRequest = options;
    }

    /// <summary>UUID v5 (SHA-1, name-based) over instance id, execution id and a per-execution counter.
    /// This recipe is part of the replay contract: never change it.</summary>
    public override Guid NewGuid()
    {
        CheckThread();
        var bytes = SHA1.HashData(Encoding.UTF8.GetBytes($"{InstanceId}:{ExecutionId}:{guidCounter++}"));
        var guid = bytes.AsSpan(0, 16).ToArray();
        guid[6] = (byte)((guid[6] & 0x0F) | 0x50);
        guid[8] = (byte)((guid[8] & 0x3F) | 0x80);
        return new Guid(guid, bigEndian: true);
    }

    public override ILogger CreateReplaySafeLogger(string categoryName) =>
        new ReplaySafeLogger(this, loggerFactory.CreateLogger(categoryName));

    public override T GetInput<T>() => DurableJson.Deserialize<T>(StartEvent?.Data);

    // ---- applying history ---------------------------------------------------------------------

    /// <summary>Matches a scheduling event from history with the action the code produced at the same position.</summary>
    internal void MatchScheduled(HistoryEvent recorded)
    {
        if (!pendingActions.TryGetValue(recorded.TaskId, out var action))
            throw new NonDeterministicOrchestrationException(
                $"History has {recorded.Type} '{recorded.Name}' at step #{recorded.TaskId}, but the current code scheduled nothing there. " +
                "Was the orchestrator changed while this instance was running? Deploy the change under a new orchestrator name or version.");
        var sameName = action.Kind == HistoryEventType.TimerCreated // timers have no name in history
            || string.Equals(action.Name, recorded.Name, StringComparison.OrdinalIgnoreCase);
        if (action.Kind != recorded.Type || !sameName)
            throw new NonDeterministicOrchestrationException(
                $"Step #{recorded.TaskId}: history recorded {recorded.Type} '{recorded.Name}', the current code does {action.Kind} '{action.Name}'. " +
                "Was the orchestrator changed while this instance was running? Deploy the change under a new orchestrator name or version.");
        pendingActions.Remove(recorded.TaskId);
        if (recorded.Type == HistoryEventType.SubOrchestrationInstanceCreated && recorded.InstanceId is { } child)
            runningChildren[recorded.TaskId] = child;
    }

    /// <summary>Resolves the open task with that id; returns false for a late or duplicate completion.</summary>
    internal bool TryComplete(int taskId, Action<OpenTask> resolve)
    {
        if (!openTasks.Remove(taskId, out var open)) return false;
        runningChildren.Remove(taskId);
        resolve(open);
        return true;
    }

    internal string NameOfOpenTask(int taskId) => openTasks.TryGetValue(taskId, out var open) ? open.Name : "?";

    /// <summary>Delivers an event to the oldest live waiter, or buffers it in arrival order.</summary>
    internal void DeliverEvent(string eventName, string? payload)
    {
        if (waiters.TryGetValue(eventName, out var queue))
        {
            while (queue.First is { } first)
            {
                queue.RemoveFirst();
                if (!first.Value.IsLive) continue;
                first.Value.Complete(payload);
                return;
            }
        }
        if (!bufferedEvents.TryGetValue(eventName, out var buffer)) bufferedEvents[eventName] = buffer = new Queue<string?>();
        buffer.Enqueue(payload);
        bufferedOrder.Add(eventName);
    }

    /// <summary>Events received but never consumed, oldest first (carried over by ContinueAsNew).</summary>
    internal IEnumerable<(string Name, string? Payload)> DrainBufferedEvents()
    {
        foreach (var eventName in bufferedOrder)
            yield return (eventName, bufferedEvents[eventName].Dequeue());
        bufferedOrder.Clear();
    }

    internal void RecordChildStarted(int taskId, string childInstanceId) => runningChildren[taskId] = childInstanceId;

    void RemoveFromBufferOrder(string eventName)
    {
        var index = bufferedOrder.FindIndex(n => string.Equals(n, eventName, StringComparison.OrdinalIgnoreCase));
        if (index >= 0) bufferedOrder.RemoveAt(index);
    }

    // ---- scheduling ---------------------------------------------------------------------------

    Task<T> ScheduleActivity<T>(string activityName, object? input, TimeSpan? timeout)
    {
        var seq = nextSequence++;
        var open = new OpenTask<T>(activityName);
        pendingActions.Add(seq, new PendingAction(HistoryEventType.TaskScheduled, activityName)
        {
            Input = Serialize(input, activityName),
            Timeout = timeout,
        });
        openTasks.Add(seq, open);
        return open.Task;
    }

    Task<T> ScheduleChild<T>(string orchestratorName, object? input, string? childId, IReadOnlyDictionary<string, string>? tags)
    {
        var seq = nextSequence++;
        var id = childId ?? $"{ExecutionId}:{seq}";
        var open = new OpenTask<T>(orchestratorName);
        pendingActions.Add(seq, new PendingAction(HistoryEventType.SubOrchestrationInstanceCreated, orchestratorName)
        {
            Input = Serialize(input, orchestratorName),
            TargetInstanceId = id,
            Tags = tags,
        });
        openTasks.Add(seq, open);
        return open.Task;
    }

    /// <summary>
    /// Durable retry: every attempt is a new scheduled task and every back-off a durable timer, so replay
    /// re-derives the same decisions. The emitted sequence (attempt, timer, attempt, …, no trailing timer)
    /// is part of the replay contract and frozen by golden tests.
    /// </summary>
    async Task<T> WithRetry<T>(RetryPolicy policy, string taskName, TimeSpan? timeout, Func<TimeSpan?, Task<T>> attempt)
    {
        var firstAttemptAt = CurrentUtcDateTime;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt(timeout);
            }
            catch (TaskFailedException failed)
            {
                var jitter = JitterSeed(taskName, number);
                var delay = policy.NextDelay(number, failed.FailureDetails, CurrentUtcDateTime - firstAttemptAt, jitter);
                if (delay is null) throw;
                await CreateTimer(CurrentUtcDateTime + delay.Value);
                if (failed.FailureDetails.FailureClass == FailureClass.Timeout)
                    timeout = TimeSpan.FromTicks((long)((timeout ?? defaultActivityTimeout).Ticks * policy.TimeoutGrowth));
            }
        }
    }

    /// <summary>A deterministic value in [0, 1) derived from the instance and the attempt, never from Random.</summary>
    double JitterSeed(string taskName, int attempt)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{InstanceId}:{ExecutionId}:{taskName}:{nextSequence}:{attempt}"));
        return BitConverter.ToUInt32(hash, 0) / (double)uint.MaxValue;
    }

    void CheckCall(string taskName, object? input)
    {
        CheckThread();
        ArgumentException.ThrowIfNullOrWhiteSpace(taskName);
        if (input is TaskOptions)
            throw new ArgumentException("A TaskOptions object was passed as the input; pass it as the options argument.", nameof(input));
    }

    void CheckThread()
    {
        if (Environment.CurrentManagedThreadId != syncContext.ThreadId || SynchronizationContext.Current != syncContext)
            throw new OrchestratorMisuseException(
                $"Orchestrator '{Name}' ({InstanceId}) called its context from another thread. Orchestrators may only await " +
                "durable tasks from the context: no Task.Run, Task.Delay, HttpClient or ConfigureAwait(false).");
    }

    string? Serialize(object? value, string what)
    {
        var json = DurableJson.Serialize(value);
        if (json is not null && Encoding.UTF8.GetByteCount(json) > maxPayloadBytes)
            throw new ArgumentException(
                $"The payload for '{what}' is larger than the limit of {maxPayloadBytes} bytes; pass a reference instead of the data.");
        return json;
    }

    sealed class ReplaySafeLogger(ReplayContext context, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);
        public bool IsEnabled(LogLevel logLevel) => !context.IsReplaying && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!context.IsReplaying) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}

/// <summary>Something the orchestrator asked for that the engine must carry out unless history shows it already did.</summary>
sealed record PendingAction(HistoryEventType Kind, string Name)
{
    public string? Input { get; init; }
    public DateTime? FireAt { get; init; }
    public TimeSpan? Timeout { get; init; }
    public string? TargetInstanceId { get; init; }
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
