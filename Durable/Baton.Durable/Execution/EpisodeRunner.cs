using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Baton.Durable.Worker;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Execution;

/// <summary>Drives one episode of one orchestrator: replay, apply, collect (ENGINE.md §2.3 steps 3–5).</summary>
sealed class EpisodeRunner(
    ITaskOrchestrator orchestrator,
    ReplayContext context,
    EpisodeSynchronizationContext sync,
    Episode episode,
    ILogger logger)
{
    Task<object?>? userTask;
    bool suspended;
    readonly Queue<HistoryEvent> heldWhileSuspended = new();
    HistoryEvent? termination;

    bool Finished => termination is not null || userTask is { IsCompleted: true };

    InstanceRecord Instance => episode.Item.Instance;

    public EpisodeResult Run(IReadOnlyList<HistoryEvent> history, IReadOnlyList<InboxMessage> messages, DateTime now)
    {
        if (Instance.Status.IsTerminal())
            return ConsumeOnly(messages, "the instance has already finished");

        var hasStart = history.Count > 0 || messages.Any(m => m.Event.Type == HistoryEventType.ExecutionStarted);
        var hasControl = messages.Any(m => m.Event.Type is HistoryEventType.ExecutionResumed or HistoryEventType.ExecutionTerminated);
        var terminating = messages.Any(m => m.Event.Type == HistoryEventType.ExecutionTerminated);
        if (!hasStart && !terminating)
            return new EpisodeResult(Unchanged(), EpisodeKind.NotStarted);
        if (Instance.Status == OrchestrationRuntimeStatus.Suspended && !hasControl)
            return HoldWhileSuspended(messages);

        try
        {
            context.isReplaying = true;
            foreach (var past in history)
            {
                Apply(past);
                sync.RunUntilIdle();
            }

            context.isReplaying = false;
            context.currentUtc = now;
            episode.NewHistory.Add(new HistoryEvent(HistoryEventType.OrchestratorStarted, now));
            foreach (var message in messages)
            {
                if (Finished) break;
                episode.Consumed.Add(message.Id);
                episode.NewHistory.Add(message.Event);
                Apply(message.Event);
                sync.RunUntilIdle();
            }
        }
        catch (NonDeterministicOrchestrationException e)
        {
            return new EpisodeResult(Unchanged(), EpisodeKind.NonDeterministic, e);
        }

        return Collect(messages, now);
    }

    // ---- applying one event ----------------------------------------------------------------

    void Apply(HistoryEvent e)
    {
        if (suspended && e.Type is not (HistoryEventType.ExecutionResumed or HistoryEventType.ExecutionTerminated
                or HistoryEventType.OrchestratorStarted or HistoryEventType.OrchestratorCompleted) && !e.IsSchedulingEvent)
        {
            heldWhileSuspended.Enqueue(e);
            return;
        }

        switch (e.Type)
        {
            case HistoryEventType.OrchestratorStarted:
                context.currentUtc = e.Timestamp;
                break;
            case HistoryEventType.ExecutionStarted:
                Start(e);
                break;
            case HistoryEventType.TaskScheduled or HistoryEventType.TimerCreated
                or HistoryEventType.SubOrchestrationInstanceCreated or HistoryEventType.EventSent:
                context.MatchScheduled(e);
                break;
            case HistoryEventType.TaskCompleted or HistoryEventType.SubOrchestrationInstanceCompleted or HistoryEventType.TimerFired:
                if (!context.TryComplete(e.TaskId, open => open.Complete(e.Data)))
                    LateEvent(e);
                break;
            case HistoryEventType.TaskFailed or HistoryEventType.SubOrchestrationInstanceFailed:
                var taskName = context.NameOfOpenTask(e.TaskId);
                if (!context.TryComplete(e.TaskId, open => open.Fail(new TaskFailedException(taskName, e.TaskId,
                        e.Failure ?? new TaskFailureDetails("Unknown", "The task failed without details.")))))
                    LateEvent(e);
                break;
            case HistoryEventType.EventRaised:
                context.DeliverEvent(e.Name ?? "", e.Data);
                break;
            case HistoryEventType.ExecutionSuspended:
                suspended = true;
                break;
            case HistoryEventType.ExecutionResumed:
                suspended = false;
                while (!suspended && heldWhileSuspended.TryDequeue(out var held))
                {
                    Apply(held);
                    sync.RunUntilIdle();
                }
                break;
            case HistoryEventType.ExecutionTerminated:
                termination = e;
                break;
        }
    }

    void Start(HistoryEvent started)
    {
        context.StartEvent = started;
        object? input;
        try
        {
            input = DurableJson.Deserialize(started.Data, orchestrator.InputType);
        }
        catch (Exception e)
        {
            userTask = Task.FromException<object?>(new ArgumentException(
                $"The input of orchestrator '{Instance.Name}' could not be read as {orchestrator.InputType.Name}: {e.Message}", e));
            return;
        }
        try
        {
            userTask = orchestrator.RunAsync(context, input);
        }
        catch (Exception e)
        {
            userTask = Task.FromException<object?>(e);
        }
    }

    void LateEvent(HistoryEvent e)
    {
        if (!context.IsReplaying)
            DurableLog.LateEvent(logger, e.Type, e.TaskId, Instance.InstanceId);
    }

    // ---- collecting the commit ---------------------------------------------------------------

    EpisodeResult Collect(IReadOnlyList<InboxMessage> messages, DateTime now)
    {
        var activities = new List<ActivityRequest>();
        var outbound = new List<OutboundMessage>();
        var children = new List<NewInstance>();
        EmitPendingActions(activities, outbound, children, now);

        if (termination is not null) return Terminate(messages, outbound, children, now);

        if (userTask is { IsCompleted: true } task)
        {
            if (task.IsCompletedSuccessfully && context.ContinueAsNewRequest is { } request)
                return ContinueAsNew(request, outbound, children, now);
            DropUnapplied(messages);
            var (status, output, failure) = Outcome(task);
            return Complete(status, output, failure, outbound, children, activities, now);
        }

        if (!suspended && context.OpenTaskCount == 0)
        {
            DropUnapplied(messages);
            var misuse = new OrchestratorMisuseException(
                $"Orchestrator '{Instance.Name}' is awaiting something that is not a durable task (Task.Delay, Task.Run, I/O?). " +
                "Only tasks from the orchestration context can be awaited.");
            return Complete(OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(misuse) with { IsNonRetriable = true },
                outbound, children, activities, now);
        }

        var waiting = suspended ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Running;
        return Commit(new InstanceUpdate(Instance.ExecutionId, waiting, null, context.CustomStatus, null), activities, outbound, children);
    }

    void EmitPendingActions(List<ActivityRequest> activities, List<OutboundMessage> outbound, List<NewInstance> children, DateTime now)
    {
        var finished = Finished;
        foreach (var (seq, action) in context.PendingActions)
        {
            switch (action.Kind)
            {
                case HistoryEventType.TaskScheduled:
                    episode.NewHistory.Add(new HistoryEvent(HistoryEventType.TaskScheduled, now)
                        { TaskId = seq, Name = action.Name, Data = action.Input, Timeout = action.Timeout });
                    activities.Add(new ActivityRequest(Instance.ExecutionId, seq, action.Name, action.Input, action.Timeout));
                    break;
                case HistoryEventType.TimerCreated when !finished:
                    episode.NewHistory.Add(new HistoryEvent(HistoryEventType.TimerCreated, now) { TaskId = seq, FireAt = action.FireAt });
                    outbound.Add(new OutboundMessage(Instance.InstanceId, Instance.ExecutionId,
                        new HistoryEvent(HistoryEventType.TimerFired, now) { TaskId = seq, FireAt = action.FireAt }, action.FireAt!.Value));
                    break;
                case HistoryEventType.SubOrchestrationInstanceCreated:
                    var childId = action.TargetInstanceId!;
                    episode.NewHistory.Add(new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCreated, now)
                        { TaskId = seq, Name = action.Name, InstanceId = childId, Data = action.Input });
                    children.Add(new NewInstance(childId, episode.NewExecutionId(), action.Name, null, action.Input, null, action.Tags,
                        new ParentOrchestrationInstance(Instance.Name, Instance.InstanceId, Instance.ExecutionId, seq)));
                    context.RecordChildStarted(seq, childId);
                    break;
                case HistoryEventType.EventSent:
                    episode.NewHistory.Add(new HistoryEvent(HistoryEventType.EventSent, now)
                        { TaskId = seq, Name = action.Name, InstanceId = action.TargetInstanceId, Data = action.Input });
                    outbound.Add(new OutboundMessage(action.TargetInstanceId!, null,
                        new HistoryEvent(HistoryEventType.EventRaised, now) { Name = action.Name, Data = action.Input }, now));
                    break;
            }
        }
    }

    (OrchestrationRuntimeStatus, string?, TaskFailureDetails?) Outcome(Task<object?> task)
    {
        if (task.IsCompletedSuccessfully)
        {
            try
            {
                return (OrchestrationRuntimeStatus.Completed, DurableJson.Serialize(task.Result), null);
            }
            catch (Exception e)
            {
                return (OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(e));
            }
        }
        var error = task.Exception?.InnerException ?? new TaskCanceledException("The orchestrator was cancelled.");
        return (OrchestrationRuntimeStatus.Failed, null, TaskFailureDetails.FromException(error));
    }

    EpisodeResult Complete(OrchestrationRuntimeStatus status, string? output, TaskFailureDetails? failure,
        List<OutboundMessage> outbound, List<NewInstance> children, List<ActivityRequest> activities, DateTime now)
    {
        if (context.OpenTaskCount > 0)
            DurableLog.FinishedWithOpenTasks(logger, Instance.InstanceId, context.OpenTaskCount);
        episode.NewHistory.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Status = status, Data = output, Failure = failure });
        NotifyParent(status, output, failure, outbound, now);
        return Commit(new InstanceUpdate(Instance.ExecutionId, status, output, context.CustomStatus, failure), activities, outbound, children);
    }

    EpisodeResult Terminate(IReadOnlyList<InboxMessage> messages, List<OutboundMessage> outbound, List<NewInstance> children, DateTime now)
    {
        DropUnapplied(messages);
        if (termination!.Recursive)
        {
            foreach (var childId in context.RunningChildren.Values)
                outbound.Add(new OutboundMessage(childId, null,
                    new HistoryEvent(HistoryEventType.ExecutionTerminated, now) { Reason = termination.Reason, Recursive = true }, now));
        }
        var output = DurableJson.Serialize(termination.Reason);
        return Complete(OrchestrationRuntimeStatus.Terminated, output, null, outbound, children, [], now);
    }

    EpisodeResult ContinueAsNew(ContinueAsNewOptions request, List<OutboundMessage> outbound, List<NewInstance> children, DateTime now)
    {
        var newExecutionId = episode.NewExecutionId();
        var newInput = DurableJson.Serialize(request.NewInput);
        var version = request.NewVersion ?? context.Version;
        // Rows claimed but not applied stay in the inbox for the next execution (they were never consumed).
        outbound.Add(new OutboundMessage(Instance.InstanceId, newExecutionId, new HistoryEvent(HistoryEventType.ExecutionStarted, now)
        {
            Name = Instance.Name, Version = version, Data = newInput, ExecutionId = newExecutionId,
            Parent = context.Parent, Tags = context.StartEvent?.Tags,
        }, now));
        if (request.PreserveUnprocessedEvents)
        {
            foreach (var (name, payload) in context.DrainBufferedEvents())
                outbound.Add(new OutboundMessage(Instance.InstanceId, null,
                    new HistoryEvent(HistoryEventType.EventRaised, now) { Name = name, Data = payload }, now));
        }
        var update = new InstanceUpdate(newExecutionId, OrchestrationRuntimeStatus.Running, null, context.CustomStatus, null)
            { NewInput = newInput, InputChanged = true, NewVersion = version };
        return new EpisodeResult(new EpisodeCommit
        {
            InstanceId = Instance.InstanceId,
            LockToken = episode.Item.LockToken,
            Instance = update,
            ResetHistory = true,
            ConsumedMessageIds = episode.Consumed,
            Messages = outbound,
            Children = children,
        }, EpisodeKind.Progressed);
    }

    void NotifyParent(OrchestrationRuntimeStatus status, string? output, TaskFailureDetails? failure, List<OutboundMessage> outbound, DateTime now)
    {
        if (context.Parent is not { } parent) return;
        var notice = status == OrchestrationRuntimeStatus.Completed
            ? new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCompleted, now) { TaskId = parent.TaskId, Data = output }
            : new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, now)
            {
                TaskId = parent.TaskId,
                Failure = new TaskFailureDetails("SubOrchestrationFailed",
                    $"Sub-orchestration '{Instance.Name}' ({Instance.InstanceId}) ended {status}.", null, failure,
                    failure?.FailureClass ?? FailureClass.Unknown, failure?.RetryAfter, failure?.IsNonRetriable ?? false),
            };
        outbound.Add(new OutboundMessage(parent.InstanceId, parent.ExecutionId, notice, now));
    }

    /// <summary>Messages claimed but not applied because the orchestrator already finished: consumed unapplied.</summary>
    void DropUnapplied(IReadOnlyList<InboxMessage> messages)
    {
        foreach (var message in messages)
            if (!episode.Consumed.Contains(message.Id)) episode.Consumed.Add(message.Id);
    }

    EpisodeResult Commit(InstanceUpdate update, List<ActivityRequest> activities, List<OutboundMessage> outbound, List<NewInstance> children)
    {
        episode.NewHistory.Add(new HistoryEvent(HistoryEventType.OrchestratorCompleted, context.CurrentUtcDateTime));
        return new EpisodeResult(new EpisodeCommit
        {
            InstanceId = Instance.InstanceId,
            LockToken = episode.Item.LockToken,
            Instance = update,
            NewHistory = episode.NewHistory,
            ConsumedMessageIds = episode.Consumed,
            Activities = activities,
            Messages = outbound,
            Children = children,
        }, EpisodeKind.Progressed);
    }

    /// <summary>A suspended instance records what arrives (so nothing is lost) without running code.</summary>
    EpisodeResult HoldWhileSuspended(IReadOnlyList<InboxMessage> messages) => new(new EpisodeCommit
    {
        InstanceId = Instance.InstanceId,
        LockToken = episode.Item.LockToken,
        Instance = new InstanceUpdate(Instance.ExecutionId, Instance.Status, Instance.Output, Instance.CustomStatus, Instance.Failure),
        NewHistory = messages.Where(m => !episode.Consumed.Contains(m.Id)).Select(m => m.Event).ToList(),
        ConsumedMessageIds = [.. episode.Consumed, .. messages.Select(m => m.Id)],
    }, EpisodeKind.Progressed);

    EpisodeResult ConsumeOnly(IReadOnlyList<InboxMessage> messages, string why)
    {
        if (messages.Count > 0)
            DurableLog.DroppedMessages(logger, messages.Count, Instance.InstanceId, why);
        return new EpisodeResult(new EpisodeCommit
        {
            InstanceId = Instance.InstanceId,
            LockToken = episode.Item.LockToken,
            Instance = new InstanceUpdate(Instance.ExecutionId, Instance.Status, Instance.Output, Instance.CustomStatus, Instance.Failure),
            ConsumedMessageIds = [.. episode.Consumed, .. messages.Select(m => m.Id)],
        }, EpisodeKind.Progressed);
    }

    EpisodeCommit Unchanged() => new()
    {
        InstanceId = Instance.InstanceId,
        LockToken = episode.Item.LockToken,
        Instance = new InstanceUpdate(Instance.ExecutionId, Instance.Status, Instance.Output, Instance.CustomStatus, Instance.Failure),
    };
}
