using System.Reflection;
using Baton.Failures;
using Baton.Durable.Serialization;
using Microsoft.DurableTask;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using TaskFailedException = Microsoft.DurableTask.TaskFailedException;
using TaskFailureDetails = Microsoft.DurableTask.TaskFailureDetails;

namespace Baton.Tests.Infrastructure;

/// <summary>
/// A strict Moq mock of the Durable Task SDK's <see cref="TaskOrchestrationContext"/> that runs a real orchestrator on
/// the test's thread, deterministically: activities answer at once from scripts (<see cref="OnActivity{TInput,TResult}"/>),
/// events and timers are task completion sources that complete inline, so when <see cref="Start{TInput,TOutput}"/>,
/// <see cref="Raise"/> or <see cref="AdvanceTime"/> returns, the orchestrator has run as far as it can.
/// <code>
/// var context = new MockOrchestrationContext(nameof(Greet), "greet-1", start)
///     .OnActivity(nameof(SayHello), (string name) => $"Hello {name}");
/// var run = context.Start(new Greet(), "Tokyo");
/// Assert.Equal("Hello Tokyo", run.Output);
/// </code>
/// As in the SDK (1.28): activity results, event payloads and the input cross a JSON round trip (Baton's
/// <see cref="DurableJson.Converter"/>); events with nobody waiting are buffered and handed out in order; of several
/// waiters for one name the newest is served first and cancelled ones are skipped. Retry handlers are not run: a
/// scripted failure fails the call at once (<see cref="ClassifiedRetry"/> has its own tests).
/// </summary>
public sealed class MockOrchestrationContext
{
    static readonly MethodInfo CallActivityOfT = Generic(nameof(CallActivity));
    static readonly MethodInfo WaitForEventOfT = Generic(nameof(WaitForEvent));
    static readonly MethodInfo CallSubOrchestratorOfT = Generic(nameof(CallSubOrchestrator));

    readonly Mock<TaskOrchestrationContext> mock = new(MockBehavior.Strict);
    readonly Dictionary<string, Func<object?, object?>> activities = [];
    readonly Dictionary<string, Stack<IEventWaiter>> waiters = [];
    readonly Dictionary<string, Queue<string?>> buffered = [];
    readonly List<PendingTimer> timers = [];
    readonly List<ActivityCall> calls = [];
    readonly List<SentEvent> sentEvents = [];
    readonly List<SubOrchestrationCall> subOrchestrations = [];
    readonly List<object?> statuses = [];
    long timersCreated;
    long guidsCreated;

    public MockOrchestrationContext(string name, string instanceId, DateTime startTime)
    {
        Now = startTime;
        mock.SetupGet(c => c.Name).Returns(new TaskName(name));
        mock.SetupGet(c => c.InstanceId).Returns(instanceId);
        mock.SetupGet(c => c.CurrentUtcDateTime).Returns(() => Now);
        mock.SetupGet(c => c.IsReplaying).Returns(false);

        mock.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(call => Typed(CallActivityOfT, call, call.Arguments[0], call.Arguments[1], call.Arguments[2])));
        // The SDK's other overloads forward to the one above.
        mock.Setup(c => c.CallActivityAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<TaskOptions>())).CallBase();
        mock.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>())).CallBase();
        mock.Setup(c => c.CallActivityAsync(It.IsAny<TaskName>(), It.IsAny<TaskOptions>())).CallBase();

        mock.Setup(c => c.CallSubOrchestratorAsync<It.IsAnyType>(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<TaskOptions?>()))
            .Returns(new InvocationFunc(call => Typed(CallSubOrchestratorOfT, call, call.Arguments[0], call.Arguments[1], call.Arguments[2])));

        mock.Setup(c => c.WaitForExternalEvent<It.IsAnyType>(It.IsAny<string>(), It.IsAny<CancellationToken>()))
            .Returns(new InvocationFunc(call => Typed(WaitForEventOfT, call, call.Arguments[0], call.Arguments[1])));
        mock.Setup(c => c.CreateTimer(It.IsAny<DateTime>(), It.IsAny<CancellationToken>()))
            .Returns((DateTime fireAt, CancellationToken cancellation) => CreateTimer(fireAt, cancellation));
        mock.Setup(c => c.CreateTimer(It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>())).CallBase();

        mock.Setup(c => c.SendEvent(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>()))
            .Callback((string target, string eventName, object payload) =>
            {
                var sent = new SentEvent(target, eventName, payload);
                sentEvents.Add(sent);
                EventSent?.Invoke(sent);
            });
        mock.Setup(c => c.SetCustomStatus(It.IsAny<object?>())).Callback((object? status) => statuses.Add(status));
        mock.Setup(c => c.ContinueAsNew(It.IsAny<object?>(), It.IsAny<bool>()))
            .Callback((object? input, bool preserve) => ContinuedAsNew = new ContinueAsNewOptions { NewInput = input, PreserveUnprocessedEvents = preserve });
        mock.Setup(c => c.ContinueAsNew(It.IsAny<ContinueAsNewOptions>())).CallBase();

        // Deterministic, like the SDK's: 0000…0001, 0000…0002, …
        mock.Setup(c => c.NewGuid()).Returns(() => Guid.ParseExact((++guidsCreated).ToString("x32", System.Globalization.CultureInfo.InvariantCulture), "N"));
        mock.Setup(c => c.CreateReplaySafeLogger(It.IsAny<string>())).Returns(NullLogger.Instance);
        mock.Setup(c => c.CreateReplaySafeLogger(It.IsAny<Type>())).Returns(NullLogger.Instance);
        mock.SetupGet(c => c.ReplaySafeLoggerFactory).Returns(NullLoggerFactory.Instance);
    }

    /// <summary>The Moq mock itself, for <c>Verify</c>.</summary>
    public Mock<TaskOrchestrationContext> Mock => mock;

    /// <summary>The orchestration clock (<see cref="TaskOrchestrationContext.CurrentUtcDateTime"/>).</summary>
    public DateTime Now { get; private set; }

    /// <summary>Every activity call, in call order.</summary>
    public IReadOnlyList<ActivityCall> Calls => calls;

    public IReadOnlyList<string> CallNames => calls.Select(c => c.Name).ToList();

    public IReadOnlyList<SentEvent> SentEvents => sentEvents;

    /// <summary>Called with each event the orchestrator sends, after it is recorded: a test can play the receiver (a
    /// sub-orchestration that ends when it is told to).</summary>
    public event Action<SentEvent>? EventSent;

    /// <summary>Every sub-orchestration started, in order; each stays pending until <see cref="CompleteSubOrchestration"/>.</summary>
    public IReadOnlyList<SubOrchestrationCall> SubOrchestrations => subOrchestrations;

    /// <summary>Called with each sub-orchestration as it starts (it may complete it at once).</summary>
    public event Action<SubOrchestrationCall>? SubOrchestrationStarted;

    /// <summary>Completes a pending sub-orchestration with <paramref name="output"/>; the orchestrator runs on before this returns.
    /// False when it had completed already.</summary>
    public bool CompleteSubOrchestration(string instanceId, object? output) => Inline(() =>
        subOrchestrations.Single(s => s.InstanceId == instanceId).Complete(DurableJson.Converter.Serialize(output)));

    /// <summary>Every custom status set, in order.</summary>
    public IReadOnlyList<object?> Statuses => statuses;

    public object? CustomStatus => statuses.LastOrDefault();

    public ContinueAsNewOptions? ContinuedAsNew { get; private set; }

    /// <summary>The fire times of the timers created and neither fired nor cancelled.</summary>
    public IReadOnlyList<DateTime> PendingTimers => timers.Select(t => t.FireAt).ToList();

    /// <summary>Whether a waiter for <paramref name="eventName"/> is pending (not completed, not cancelled).</summary>
    public bool IsWaitingFor(string eventName) =>
        waiters.TryGetValue(eventName, out var stack) && stack.Any(w => !w.IsDone);

    /// <summary>Scripts what an activity returns. <paramref name="result"/> may throw a <see cref="ClassifiedFailureException"/>:
    /// the call then fails as the SDK fails it, with a <see cref="TaskFailedException"/> whose failure properties carry
    /// the class (<see cref="FailureFacts.For"/>), as Baton's worker attaches them.</summary>
    public MockOrchestrationContext OnActivity<TInput, TResult>(string name, Func<TInput, TResult> result)
    {
        activities[name] = input => result(input is null ? default! : Assert.IsAssignableFrom<TInput>(input));
        return this;
    }

    /// <summary>Scripts an activity called without input.</summary>
    public MockOrchestrationContext OnActivity<TResult>(string name, Func<TResult> result)
    {
        activities[name] = _ => result();
        return this;
    }

    /// <summary>Runs the orchestrator until its first wait.</summary>
    public OrchestrationRun<TOutput> Start<TInput, TOutput>(TaskOrchestrator<TInput, TOutput> orchestrator, TInput input)
    {
        var run = Inline(() => orchestrator.RunAsync(mock.Object, RoundTrip<TInput>(input)!));
        return new OrchestrationRun<TOutput>(run, this);
    }

    /// <summary>Raises an event: the newest pending waiter for it gets it and the orchestrator runs on before this
    /// returns; with nobody waiting it is buffered for the next wait.</summary>
    public void Raise(string eventName, object? payload) => Inline(() =>
    {
        var json = DurableJson.Converter.Serialize(payload);
        if (waiters.TryGetValue(eventName, out var stack))
        {
            while (stack.TryPop(out var waiter))
                if (waiter.TryDeliver(json)) return;
        }
        Buffer(eventName).Enqueue(json);
    });

    /// <summary>Moves the clock forward by <paramref name="by"/>, firing each timer that comes due on the way at its own
    /// time, in order (also timers the orchestrator creates while this runs).</summary>
    public void AdvanceTime(TimeSpan by) => Inline(() =>
    {
        var until = Now + by;
        while (timers.Where(t => t.FireAt <= until).OrderBy(t => t.FireAt).ThenBy(t => t.Order).FirstOrDefault() is { } due)
        {
            timers.Remove(due);
            if (due.FireAt > Now) Now = due.FireAt;
            due.Source.TrySetResult();
        }
        Now = until;
    });

    /// <summary>What the orchestration waits for, for messages.</summary>
    public string Waits()
    {
        var events = waiters.Where(w => w.Value.Any(x => !x.IsDone)).Select(w => w.Key);
        return $"events [{string.Join(", ", events)}], timers [{string.Join(", ", PendingTimers.Select(t => t.ToString("O")))}]";
    }

    Task<T> CallActivity<T>(TaskName name, object? input, TaskOptions? options)
    {
        var taskId = calls.Count;
        calls.Add(new ActivityCall(name.Name, input, options, Now));
        if (!activities.TryGetValue(name.Name, out var script))
            throw new InvalidOperationException($"No result is scripted for the activity '{name.Name}'.");
        try
        {
            return Task.FromResult(RoundTrip<T>(script(input))!);
        }
        catch (ClassifiedFailureException failure)
        {
            var details = new TaskFailureDetails(failure.GetType().FullName!, failure.Message, null, null,
                FailureFacts.For(failure.FailureClass, failure.RetryAfter));
            return Task.FromException<T>(new TaskFailedException(name.Name, taskId, details));
        }
    }

    Task<T> CallSubOrchestrator<T>(TaskName name, object? input, TaskOptions? options)
    {
        var instanceId = (options as SubOrchestrationOptions)?.InstanceId
                         ?? throw new InvalidOperationException($"Start '{name.Name}' under an instance id of its own (SubOrchestrationOptions.InstanceId).");
        if (subOrchestrations.Any(s => s.InstanceId == instanceId))
            throw new InvalidOperationException($"A sub-orchestration '{instanceId}' was started already.");
        // Not RunContinuationsAsynchronously: completing it runs the orchestrator on inline.
        var result = new TaskCompletionSource<T>();
        var call = new SubOrchestrationCall(name.Name, instanceId, RoundTrip<object>(input), Now,
            json => result.TrySetResult(DurableJson.Converter.Deserialize<T>(json)!), () => result.Task.IsCompleted);
        subOrchestrations.Add(call);
        SubOrchestrationStarted?.Invoke(call);
        return result.Task;
    }

    Task<T> WaitForEvent<T>(string eventName, CancellationToken cancellation)
    {
        var waiter = new EventWaiter<T>();
        if (!waiters.TryGetValue(eventName, out var stack)) waiters[eventName] = stack = new Stack<IEventWaiter>();
        if (buffered.TryGetValue(eventName, out var queue) && queue.TryDequeue(out var json)) waiter.TryDeliver(json);
        else stack.Push(waiter);
        cancellation.Register(() => waiter.Source.TrySetCanceled(cancellation));
        return waiter.Source.Task;
    }

    Task CreateTimer(DateTime fireAt, CancellationToken cancellation)
    {
        // Not RunContinuationsAsynchronously: firing it runs the orchestrator on inline.
        var source = new TaskCompletionSource();
        if (fireAt <= Now)
        {
            source.SetResult();   // due already: the SDK fires it in the next episode, before anything later
            return source.Task;
        }
        var timer = new PendingTimer(fireAt, timersCreated++, source);
        timers.Add(timer);
        cancellation.Register(() =>
        {
            timers.Remove(timer);
            source.TrySetCanceled(cancellation);
        });
        return source.Task;
    }

    Queue<string?> Buffer(string eventName)
    {
        if (!buffered.TryGetValue(eventName, out var queue)) buffered[eventName] = queue = new Queue<string?>();
        return queue;
    }

    /// <summary>Runs a step of the orchestrator with no synchronization context, so that awaits in it continue inline
    /// when a task completes (under xUnit's context they would be posted to it).</summary>
    static void Inline(Action step) => Inline(() =>
    {
        step();
        return true;
    });

    static T Inline<T>(Func<T> step)
    {
        var outer = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return step();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(outer);
        }
    }

    static T? RoundTrip<T>(object? value) => DurableJson.Converter.Deserialize<T>(DurableJson.Converter.Serialize(value));

    /// <summary>Calls the generic <paramref name="method"/> with the type argument the orchestrator asked for.</summary>
    object Typed(MethodInfo method, IInvocation call, params object?[] arguments) =>
        method.MakeGenericMethod(call.Method.GetGenericArguments()).Invoke(this, BindingFlags.DoNotWrapExceptions, null, arguments, null)!;

    static MethodInfo Generic(string name) => typeof(MockOrchestrationContext).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Instance)!;

    interface IEventWaiter
    {
        bool IsDone { get; }
        bool TryDeliver(string? json);
    }

    sealed class EventWaiter<T> : IEventWaiter
    {
        // Not RunContinuationsAsynchronously: delivering the event runs the orchestrator on inline.
        public TaskCompletionSource<T> Source { get; } = new();
        public bool IsDone => Source.Task.IsCompleted;
        public bool TryDeliver(string? json) => !IsDone && Source.TrySetResult(DurableJson.Converter.Deserialize<T>(json)!);
    }

    sealed record PendingTimer(DateTime FireAt, long Order, TaskCompletionSource Source);
}

/// <summary>One activity call: its name, its input as the orchestrator passed it, its options and the clock.</summary>
public sealed record ActivityCall(string Name, object? Input, TaskOptions? Options, DateTime At)
{
    public T InputAs<T>() => Assert.IsAssignableFrom<T>(Input);
}

public sealed record SentEvent(string InstanceId, string Name, object Payload);

/// <summary>A sub-orchestration the orchestrator started; its input crossed a JSON round trip (read it with
/// <see cref="InputAs{T}"/>).</summary>
public sealed class SubOrchestrationCall(string name, string instanceId, object? input, DateTime at, Func<string?, bool> complete, Func<bool> isDone)
{
    public string Name { get; } = name;
    public string InstanceId { get; } = instanceId;
    public DateTime At { get; } = at;
    public bool IsDone => isDone();
    public T InputAs<T>() => DurableJson.Converter.Deserialize<T>(DurableJson.Converter.Serialize(input))!;
    internal bool Complete(string? json) => complete(json);
}

/// <summary>An orchestrator run by a <see cref="MockOrchestrationContext"/>.</summary>
public sealed class OrchestrationRun<TOutput>(Task<TOutput> run, MockOrchestrationContext context)
{
    public bool IsFinished => run.IsCompleted;

    /// <summary>What the orchestrator returned (or the exception it threw); fails if it still waits.</summary>
    public TOutput Output => run.IsCompleted
        ? run.GetAwaiter().GetResult()
        : throw new InvalidOperationException($"The orchestration has not finished: it waits for {context.Waits()}.");
}
