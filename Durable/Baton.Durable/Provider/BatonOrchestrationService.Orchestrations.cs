using Baton.Durable.Storage;
using DurableTask.Core;
using DurableTask.Core.History;
using Stored = Baton.Durable.History.HistoryEvent;
using StoredType = Baton.Durable.History.HistoryEventType;

namespace Baton.Durable.Provider;

public sealed partial class BatonOrchestrationService
{
    /// <summary>A DTFx work item that remembers the claim it came from (its lease token and message ids).</summary>
    sealed class ClaimedOrchestration : TaskOrchestrationWorkItem
    {
        public required OrchestrationWorkItem Claim { get; init; }
        public int Finished;
    }

    public async Task<TaskOrchestrationWorkItem> LockNextTaskOrchestrationWorkItemAsync(TimeSpan receiveTimeout,
        CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var claim = await orchestrations.NextAsync(receiveTimeout, cancellationToken);
            if (claim is null) break;
            TaskOrchestrationWorkItem? item = null;
            try
            {
                item = await PrepareAsync(claim, cancellationToken);
            }
            finally
            {
                if (item is null) orchestrations.Finished();
            }
            if (item is not null) return item;
        }
        // DTFx takes null for "nothing arrived within the timeout".
        return null!;
    }

    /// <summary>The work item DTFx replays, or null when the provider settled the claim itself: a finished instance's
    /// late messages are consumed, poison messages quarantined, an instance over the history limit failed.</summary>
    async Task<TaskOrchestrationWorkItem?> PrepareAsync(OrchestrationWorkItem claim, CancellationToken cancellationToken)
    {
        var instance = claim.Instance;
        if (instance.Status.IsTerminal())
        {
            await CommitAsync(claim, ConsumeOnly(claim), cancellationToken);
            return null;
        }

        var deliveries = claim.Messages.Max(m => m.DequeueCount);
        if (deliveries > settings.MaxDequeueCount)
        {
            ProviderLog.PoisonMessages(logger, claim.InstanceId, claim.Messages.Count, settings.MaxDequeueCount);
            var reason = $"{claim.Messages.Count} message(s) were delivered more than {settings.MaxDequeueCount} times without committing; they were quarantined.";
            await CommitAsync(claim, Fail(claim, new TaskFailureDetails("PoisonMessage", reason, IsNonRetriable: true)) with
            {
                QuarantineReason = reason,
                Deliveries = deliveries,
            }, cancellationToken);
            return null;
        }

        var limits = settings.Limits;
        if (instance.HistoryCount > limits.MaxHistoryEvents || instance.HistoryBytes > limits.MaxHistoryBytes)
        {
            ProviderLog.HistoryLimit(logger, claim.InstanceId, instance.HistoryCount, instance.HistoryBytes);
            await CommitAsync(claim, Fail(claim, new TaskFailureDetails("HistoryLimitExceeded",
                $"The history has {instance.HistoryCount} events / {instance.HistoryBytes} bytes, over the limit of " +
                $"{limits.MaxHistoryEvents} / {limits.MaxHistoryBytes}. Use ContinueAsNew or sub-orchestrations.", IsNonRetriable: true)),
                cancellationToken);
            return null;
        }

        // A timer of an execution that has since continued as new (a sweep timer cancelled by a wake, say) still fires:
        // DTFx would discard it with a warning each time. It is consumed here (the commit consumes every claimed message)
        // without being handed over, and a claim of nothing else is settled without a replay.
        var current = claim.Messages.Where(m => !IsStaleTimer(m, instance.ExecutionId)).ToList();
        if (current.Count == 0)
        {
            await CommitAsync(claim, ConsumeOnly(claim), cancellationToken);
            return null;
        }

        var id = claim.InstanceId;
        return new ClaimedOrchestration
        {
            Claim = claim,
            InstanceId = id,
            OrchestrationRuntimeState = new OrchestrationRuntimeState(claim.History.Select(e => StoredEvents.FromStored(e, id)).ToList()),
            NewMessages = current.Select(m => new TaskMessage
            {
                Event = StoredEvents.FromStored(m.Event, id),
                OrchestrationInstance = new OrchestrationInstance { InstanceId = id, ExecutionId = m.ExecutionId ?? instance.ExecutionId },
                SequenceNumber = m.Id,
            }).ToList(),
            // The heartbeat renews the lease (BatonOrchestrationService.HeartbeatAsync): DTFx need not.
            LockedUntilUtc = DateTime.MaxValue,
        };
    }

    static bool IsStaleTimer(InboxMessage message, string currentExecutionId) =>
        message.Event.Type == StoredType.TimerFired && message.ExecutionId is { } execution && execution != currentExecutionId;

    public async Task RenewTaskOrchestrationWorkItemLockAsync(TaskOrchestrationWorkItem workItem)
    {
        var item = (ClaimedOrchestration)workItem;
        var renewedAt = time.GetUtcNow().UtcDateTime;
        if (!await store.RenewOrchestrationLeaseAsync(item.Claim, settings.OrchestrationLeaseTtl))
            throw new InvalidOperationException($"The lease on instance '{item.InstanceId}' was lost; another worker owns it now.");
        item.LockedUntilUtc = renewedAt + settings.OrchestrationLeaseTtl;
    }

    /// <summary>
    /// Commits the episode DTFx ran, in one fenced transaction: the new history events (all of them, replacing the old
    /// execution's, after a continue-as-new), the consumed messages, scheduled activities, timers, sub-orchestrations,
    /// messages to other instances and the instance's new status. Throws when the lease was lost meanwhile, so DTFx
    /// abandons the work item and nothing of this episode is kept: the new lease holder runs it again.
    /// </summary>
    /// <remarks><paramref name="continuedAsNewMessage"/> is always null from DTFx's dispatcher, which runs the next
    /// execution within the same work item: a continue-as-new shows as a new execution id in the runtime state.</remarks>
    public async Task CompleteTaskOrchestrationWorkItemAsync(
        TaskOrchestrationWorkItem workItem,
        OrchestrationRuntimeState newOrchestrationRuntimeState,
        IList<TaskMessage> outboundMessages,
        IList<TaskMessage> orchestratorMessages,
        IList<TaskMessage> timerMessages,
        TaskMessage continuedAsNewMessage,
        OrchestrationState orchestrationState)
    {
        var item = (ClaimedOrchestration)workItem;
        var claim = item.Claim;
        var state = newOrchestrationRuntimeState;
        var commit = state.ExecutionStartedEvent is null
            ? ConsumeOnly(claim)
            : Episode(claim, state, orchestrationState, outboundMessages, orchestratorMessages, timerMessages);
        if (!await CommitAsync(claim, commit, CancellationToken.None))
            throw new InvalidOperationException($"The lease on instance '{claim.InstanceId}' was lost; the episode was not committed.");
    }

    /// <param name="status">What the dispatcher reports as the instance's status (DTFx builds it from the runtime state; the
    /// gRPC sidecar keeps a failure's details only there), preferred to the runtime state where it has a value.</param>
    EpisodeCommit Episode(OrchestrationWorkItem claim, OrchestrationRuntimeState state, OrchestrationState? status,
        IList<TaskMessage> activityMessages,
        IList<TaskMessage> orchestratorMessages, IList<TaskMessage> timerMessages)
    {
        var executionId = state.OrchestrationInstance!.ExecutionId;
        var continuedAsNew = !string.Equals(executionId, claim.Instance.ExecutionId, StringComparison.Ordinal);
        var runtimeStatus = (OrchestrationRuntimeStatus)state.OrchestrationStatus;
        var failure = status?.FailureDetails ?? state.FailureDetails;
        var children = new List<NewInstance>();
        var messages = new List<OutboundMessage>();
        foreach (var message in orchestratorMessages)
        {
            if (message.Event is ExecutionStartedEvent started)
                children.Add(NewInstanceFrom(started));
            else
                messages.Add(new OutboundMessage(message.OrchestrationInstance.InstanceId, message.OrchestrationInstance.ExecutionId,
                    StoredEvents.ToStored(message.Event), claim.Now));
        }
        foreach (var timer in timerMessages)
        {
            var fired = (TimerFiredEvent)timer.Event;
            messages.Add(new OutboundMessage(claim.InstanceId, timer.OrchestrationInstance.ExecutionId, StoredEvents.ToStored(fired),
                fired.FireAt));
        }
        return new EpisodeCommit
        {
            InstanceId = claim.InstanceId,
            LockToken = claim.LockToken,
            Instance = new InstanceUpdate(executionId, runtimeStatus, status?.Output ?? state.Output, status?.Status ?? state.Status,
                StoredEvents.ToStored(failure))
            {
                InputChanged = continuedAsNew,
                NewInput = continuedAsNew ? state.Input : null,
                NewVersion = continuedAsNew ? state.Version : null,
            },
            ResetHistory = continuedAsNew,
            NewHistory = state.NewEvents.Select(StoredEvents.ToStored).ToList(),
            ConsumedMessageIds = claim.Messages.Select(m => m.Id).ToList(),
            Activities = activityMessages.Select(m =>
            {
                var scheduled = (TaskScheduledEvent)m.Event;
                return new ActivityRequest(m.OrchestrationInstance.ExecutionId, scheduled.EventId, scheduled.Name!, scheduled.Input, null)
                {
                    Version = scheduled.Version,
                    Tags = scheduled.Tags is null ? null : new Dictionary<string, string>(scheduled.Tags, StringComparer.Ordinal),
                    Trace = StoredEvents.ToStored(scheduled.ParentTraceContext),
                };
            }).ToList(),
            Children = children,
            Messages = messages,
        };
    }

    static NewInstance NewInstanceFrom(ExecutionStartedEvent started) => new NewInstance(
        started.OrchestrationInstance.InstanceId,
        started.OrchestrationInstance.ExecutionId,
        started.Name,
        started.Version,
        started.Input,
        started.ScheduledStartTime,
        started.Tags is null ? null : new Dictionary<string, string>(started.Tags, StringComparer.Ordinal),
        StoredEvents.ToStored(started.ParentInstance))
    {
        Trace = StoredEvents.ToStored(started.ParentTraceContext),
    };

    /// <summary>Consumes the claimed messages and changes nothing else (a finished instance's late messages, or DTFx
    /// found nothing to run).</summary>
    static EpisodeCommit ConsumeOnly(OrchestrationWorkItem claim) => new()
    {
        InstanceId = claim.InstanceId,
        LockToken = claim.LockToken,
        Instance = new InstanceUpdate(claim.Instance.ExecutionId, claim.Instance.Status, claim.Instance.Output,
            claim.Instance.CustomStatus, claim.Instance.Failure),
        ConsumedMessageIds = claim.Messages.Select(m => m.Id).ToList(),
    };

    /// <summary>Ends an instance that cannot safely run: it fails with <paramref name="failure"/>, its parent hears so,
    /// and every claimed message is consumed.</summary>
    static EpisodeCommit Fail(OrchestrationWorkItem claim, TaskFailureDetails failure)
    {
        var instance = claim.Instance;
        var now = claim.Now;
        var messages = new List<OutboundMessage>();
        if (instance.Parent is { } parent)
            messages.Add(new OutboundMessage(parent.InstanceId, parent.ExecutionId,
                new Stored(StoredType.SubOrchestrationInstanceFailed, now) { TaskId = parent.TaskId, Reason = failure.ErrorMessage, Failure = failure },
                now));
        return new EpisodeCommit
        {
            InstanceId = instance.InstanceId,
            LockToken = claim.LockToken,
            Instance = new InstanceUpdate(instance.ExecutionId, OrchestrationRuntimeStatus.Failed, null, instance.CustomStatus, failure),
            NewHistory =
            [
                new Stored(StoredType.OrchestratorStarted, now),
                new Stored(StoredType.ExecutionCompleted, now) { Status = OrchestrationRuntimeStatus.Failed, Failure = failure },
                new Stored(StoredType.OrchestratorCompleted, now),
            ],
            ConsumedMessageIds = claim.Messages.Select(m => m.Id).ToList(),
            Messages = messages,
        };
    }

    async Task<bool> CommitAsync(OrchestrationWorkItem claim, EpisodeCommit commit, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        if (await store.CommitEpisodeAsync(commit, cancellationToken) == CommitOutcome.LeaseLost)
        {
            ProviderLog.LeaseLost(logger, claim.InstanceId);
            return false;
        }
        ProviderTelemetry.Episodes.Add(1);
        ProviderTelemetry.CommitMs.Record(time.GetElapsedTime(started).TotalMilliseconds);
        if (commit.Activities.Count > 0) signals.Activities.Set();
        if (commit.Children.Count > 0 || commit.Messages.Any(m => m.VisibleAt <= claim.Now)) signals.Orchestrations.Set();
        var status = commit.Instance.Status;
        if (status.IsTerminal() && !claim.Instance.Status.IsTerminal())
        {
            ProviderLog.Finished(logger, claim.InstanceId, status);
            ProviderTelemetry.OrchestrationsFinished.Add(1);
            signals.Completions.Set();
        }
        else if (status != claim.Instance.Status)
        {
            signals.Completions.Set();
        }
        return true;
    }

    public async Task AbandonTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        var claim = ((ClaimedOrchestration)workItem).Claim;
        await store.AbandonOrchestrationAsync(claim, Backoff(claim.Messages.Max(m => m.DequeueCount)));
    }

    public Task ReleaseTaskOrchestrationWorkItemAsync(TaskOrchestrationWorkItem workItem)
    {
        // Completion and abandonment already ended the lease; this only frees the slot (once, whatever DTFx calls).
        if (workItem is ClaimedOrchestration item && Interlocked.Exchange(ref item.Finished, 1) == 0) orchestrations.Finished();
        return Task.CompletedTask;
    }
}
