using Baton.Durable.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Durable.Testing;

/// <summary>
/// A hand-written orchestration context for unit-testing orchestrators without storage or replay:
/// script what activities and sub-orchestrations return, raise events, move the clock, then assert on
/// the recorded calls.
/// <code>
/// var fake = new FakeOrchestrationContext()
///     .OnActivity(nameof(SayHello), (string name) => $"Hello {name}");
/// var result = await fake.RunAsync(new HelloSequence(), "Tokyo");
/// Assert.Equal(3, fake.Calls.Count);
/// </code>
/// Retry policies are honoured: a failing scripted call is re-invoked as the policy allows, and the clock
/// moves forward by each back-off delay instead of waiting.
/// </summary>
public sealed class FakeOrchestrationContext : TaskOrchestrationContext
{
    readonly Dictionary<string, Func<object?, Task<object?>>> activities = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, Func<object?, Task<object?>>> subOrchestrations = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, Queue<string?>> buffered = new(StringComparer.OrdinalIgnoreCase);
    readonly Dictionary<string, LinkedList<Action<string?>>> waiters = new(StringComparer.OrdinalIgnoreCase);
    readonly List<(DateTime FireAt, TaskCompletionSource Source)> timers = [];
    readonly List<RecordedCall> calls = [];
    readonly List<(string InstanceId, string Name, object? Payload)> sentEvents = [];
    readonly ILoggerFactory loggerFactory;
    // The orchestrator's continuations run on the thread pool while the test raises events and moves the clock, so
    // the buffers, waiters, timers and records are only touched under this lock (continuations run asynchronously,
    // never inside it).
    readonly Lock gate = new();
    string? input;
    int guidCounter;

    public FakeOrchestrationContext(string name = "Orchestration", string instanceId = "test-instance",
        DateTime? startTime = null, ILoggerFactory? loggerFactory = null)
    {
        Name = name;
        InstanceId = instanceId;
        now = startTime ?? new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        this.loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
    }

    public override string Name { get; }
    public override string InstanceId { get; }
    public override string? Version => null;
    public override ParentOrchestrationInstance? Parent => null;
    public override DateTime CurrentUtcDateTime => now;
    public override bool IsReplaying => false;
    DateTime now;

    /// <summary>Every activity and sub-orchestration call, in call order (each retry attempt is its own entry).</summary>
    public IReadOnlyList<RecordedCall> Calls { get { lock (gate) return calls.ToArray(); } }
    public IReadOnlyList<(string InstanceId, string Name, object? Payload)> SentEvents { get { lock (gate) return sentEvents.ToArray(); } }
    public object? CustomStatus { get; private set; }
    public ContinueAsNewOptions? ContinuedAsNew { get; private set; }
    /// <summary>Timers created and not yet fired.</summary>
    public int PendingTimers { get { lock (gate) return timers.Count; } }

    // ---- scripting ----------------------------------------------------------------------------

    public FakeOrchestrationContext OnActivity<TInput, TResult>(string name, Func<TInput, TResult> result) =>
        Script(activities, name, result);

    public FakeOrchestrationContext OnActivity<TInput, TResult>(string name, Func<TInput, Task<TResult>> result) =>
        Script(activities, name, result);

    public FakeOrchestrationContext OnSubOrchestrator<TInput, TResult>(string name, Func<TInput, TResult> result) =>
        Script(subOrchestrations, name, result);

    /// <summary>Makes the call fail as an activity would: a <see cref="DurableFailureException"/> carries the class.</summary>
    public static TResult Fail<TResult>(FailureClass failureClass, string message = "scripted failure", TimeSpan? retryAfter = null) =>
        throw new DurableFailureException(failureClass, message, retryAfter);

    /// <summary>Raises an event now; it is buffered if nothing waits for it yet.</summary>
    public void RaiseEvent(string name, object? payload = null)
    {
        var json = DurableJson.Serialize(payload);
        lock (gate)
        {
            if (waiters.TryGetValue(name, out var list) && list.First is { } first)
            {
                list.RemoveFirst();
                first.Value(json);
                return;
            }
            if (!buffered.TryGetValue(name, out var queue)) buffered[name] = queue = new Queue<string?>();
            queue.Enqueue(json);
        }
    }

    /// <summary>Moves the clock forward and fires every timer that came due.</summary>
    public void AdvanceTime(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
            foreach (var due in timers.Where(t => t.FireAt <= now).ToList())
            {
                timers.Remove(due);
                due.Source.TrySetResult();
            }
        }
    }

    /// <summary>Runs the orchestrator with the given input and returns its task (await it, or raise events first).</summary>
    public Task<TOutput> RunAsync<TInput, TOutput>(TaskOrchestrator<TInput, TOutput> orchestrator, TInput orchestratorInput)
    {
        input = DurableJson.Serialize(orchestratorInput);
        return orchestrator.RunAsync(this, orchestratorInput);
    }

    // ---- the context ----------------------------------------------------------------------------

    public override Task<TResult> CallActivityAsync<TResult>(string name, object? input = null, TaskOptions? options = null) =>
        Call<TResult>(CallKind.Activity, activities, name, input, options);

    public override Task<TResult> CallSubOrchestratorAsync<TResult>(string name, object? input = null, TaskOptions? options = null) =>
        Call<TResult>(CallKind.SubOrchestration, subOrchestrations, name, input, options);

    public override Task CreateTimer(DateTime fireAtUtc, CancellationToken cancellationToken = default)
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (fireAtUtc <= now)
        {
            source.SetResult();
            return source.Task;
        }
        var entry = (fireAtUtc, source);
        lock (gate) timers.Add(entry);
        cancellationToken.Register(() =>
        {
            lock (gate) timers.Remove(entry);
            source.TrySetCanceled();
        });
        return source.Task;
    }

    public override Task<T> WaitForExternalEvent<T>(string eventName, CancellationToken cancellationToken = default)
    {
        var source = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        LinkedList<Action<string?>> list;
        LinkedListNode<Action<string?>> node;
        lock (gate)
        {
            if (buffered.TryGetValue(eventName, out var queue) && queue.Count > 0)
                return Task.FromResult(DurableJson.Deserialize<T>(queue.Dequeue()));
            if (!waiters.TryGetValue(eventName, out list!)) waiters[eventName] = list = new LinkedList<Action<string?>>();
            node = list.AddLast(json => source.TrySetResult(DurableJson.Deserialize<T>(json)));
        }
        cancellationToken.Register(() =>
        {
            lock (gate)
                if (node.List is not null) list.Remove(node);
            source.TrySetCanceled();
        });
        return source.Task;
    }

    public override void SendEvent(string instanceId, string eventName, object? payload = null)
    {
        lock (gate) sentEvents.Add((instanceId, eventName, payload));
    }

    public override void SetCustomStatus(object? customStatus) => CustomStatus = customStatus;

    public override void ContinueAsNew(ContinueAsNewOptions options) => ContinuedAsNew = options;

    public override Guid NewGuid()
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, ++guidCounter);
        return new Guid(bytes);
    }

    public override ILogger CreateReplaySafeLogger(string categoryName) => loggerFactory.CreateLogger(categoryName);

    public override T GetInput<T>() => DurableJson.Deserialize<T>(input);

    // ---- helpers ------------------------------------------------------------------------------

    FakeOrchestrationContext Script<TInput, TResult>(Dictionary<string, Func<object?, Task<object?>>> table, string name, Func<TInput, TResult> result)
    {
        table[name] = arg => Task.FromResult<object?>(result(Convert<TInput>(arg)));
        return this;
    }

    FakeOrchestrationContext Script<TInput, TResult>(Dictionary<string, Func<object?, Task<object?>>> table, string name, Func<TInput, Task<TResult>> result)
    {
        table[name] = async arg => await result(Convert<TInput>(arg));
        return this;
    }

    async Task<TResult> Call<TResult>(CallKind kind, Dictionary<string, Func<object?, Task<object?>>> table, string name, object? arg, TaskOptions? options)
    {
        if (!table.TryGetValue(name, out var script))
            throw new InvalidOperationException($"No result is scripted for {kind} '{name}'. Call OnActivity/OnSubOrchestrator first.");
        var firstAttemptAt = now;
        for (var attempt = 1; ; attempt++)
        {
            lock (gate) calls.Add(new RecordedCall(kind, name, arg, options, now));
            try
            {
                var value = await script(arg);
                return DurableJson.Deserialize<TResult>(DurableJson.Serialize(value));
            }
            catch (Exception e) when (e is not TaskFailedException)
            {
                var failure = TaskFailureDetails.FromException(e);
                var delay = options?.Retry?.NextDelay(attempt, failure, now - firstAttemptAt, 0.5);
                if (delay is null) throw new TaskFailedException(name, Calls.Count - 1, failure);
                lock (gate) now += delay.Value;
            }
        }
    }

    static T Convert<T>(object? value) => value is T typed ? typed : DurableJson.Deserialize<T>(DurableJson.Serialize(value));
}

public enum CallKind { Activity, SubOrchestration }

/// <summary>One call the orchestrator made, with the fake clock's time when it made it.</summary>
public sealed record RecordedCall(CallKind Kind, string Name, object? Input, TaskOptions? Options, DateTime At)
{
    public T? InputAs<T>() => Input is T typed ? typed : DurableJson.Deserialize<T>(DurableJson.Serialize(Input));
}
