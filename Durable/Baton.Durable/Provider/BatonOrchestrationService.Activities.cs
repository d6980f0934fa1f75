using Baton.Durable.Storage;
using DurableTask.Core;
using DurableTask.Core.History;
using Stored = Baton.Durable.History.HistoryEvent;
using StoredType = Baton.Durable.History.HistoryEventType;

namespace Baton.Durable.Provider;

public sealed partial class BatonOrchestrationService
{
    /// <summary>A DTFx activity work item that remembers the leased row it came from.</summary>
    sealed class ClaimedActivity : TaskActivityWorkItem
    {
        public required ActivityWorkItem Claim { get; init; }
        public int Finished;
    }

    /// <summary>Frees the item's slot once, whether DTFx completes it, abandons it, or both (a failed completion).</summary>
    void Finish(ClaimedActivity item)
    {
        if (Interlocked.Exchange(ref item.Finished, 1) == 0) activities.Finished();
    }

    public async Task<TaskActivityWorkItem> LockNextTaskActivityWorkItem(TimeSpan receiveTimeout, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var claim = await activities.NextAsync(receiveTimeout, cancellationToken);
            if (claim is null) break;
            if (claim.DequeueCount <= settings.MaxDequeueCount)
            {
                return new ClaimedActivity
                {
                    Claim = claim,
                    Id = claim.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    // The heartbeat renews the lease (BatonOrchestrationService.HeartbeatAsync): DTFx need not.
                    LockedUntilUtc = DateTime.MaxValue,
                    TaskMessage = new TaskMessage
                    {
                        Event = new TaskScheduledEvent(claim.TaskId)
                        {
                            Name = claim.Name,
                            Version = claim.Version,
                            Input = claim.Input,
                            Tags = claim.Tags is null ? null : new Dictionary<string, string>(claim.Tags, StringComparer.Ordinal),
                            ParentTraceContext = StoredEvents.FromStored(claim.Trace),
                        },
                        OrchestrationInstance = new OrchestrationInstance { InstanceId = claim.InstanceId, ExecutionId = claim.ExecutionId },
                        SequenceNumber = claim.Id,
                    },
                };
            }
            try
            {
                await QuarantineAsync(claim);
            }
            finally
            {
                activities.Finished();
            }
        }
        return null!;
    }

    /// <summary>An activity delivered too often without completing (it crashes its host, say) is failed for good: its row
    /// goes to quarantine and the orchestration gets a non-retriable failure instead of another attempt.</summary>
    async Task QuarantineAsync(ActivityWorkItem claim)
    {
        ProviderLog.PoisonActivity(logger, claim.Name, claim.TaskId, claim.InstanceId, claim.DequeueCount);
        var reason = $"Delivered {claim.DequeueCount} times without completing (poison).";
        var failure = new TaskFailureDetails("PoisonMessage", reason, IsNonRetriable: true);
        var failed = new Stored(StoredType.TaskFailed, time.GetUtcNow().UtcDateTime) { TaskId = claim.TaskId, Reason = reason, Failure = failure };
        if (await store.CompleteActivityAsync(claim, failed, reason)) signals.Orchestrations.Set();
    }

    public async Task<TaskActivityWorkItem> RenewTaskActivityWorkItemLockAsync(TaskActivityWorkItem workItem)
    {
        var item = (ClaimedActivity)workItem;
        var renewedAt = time.GetUtcNow().UtcDateTime;
        if (!await store.RenewActivityLeaseAsync(item.Claim, settings.ActivityLeaseTtl))
            throw new InvalidOperationException($"The lease on activity {item.Claim.Name} (task {item.Claim.TaskId} of '{item.Claim.InstanceId}') was lost.");
        item.LockedUntilUtc = renewedAt + settings.ActivityLeaseTtl;
        return item;
    }

    /// <summary>Deletes the activity row and delivers its result to the orchestration in one transaction, fenced by the
    /// lease: a result from an attempt whose lease was lost (another attempt owns the row) is discarded.</summary>
    public async Task CompleteTaskActivityWorkItemAsync(TaskActivityWorkItem workItem, TaskMessage responseMessage)
    {
        var item = (ClaimedActivity)workItem;
        var claim = item.Claim;
        try
        {
            if (await store.CompleteActivityAsync(claim, StoredEvents.ToStored(responseMessage.Event)))
            {
                ProviderTelemetry.ActivitiesCompleted.Add(1);
                signals.Orchestrations.Set();
            }
            else
                ProviderLog.ActivityLeaseLost(logger, claim.Name, claim.TaskId, claim.InstanceId);
        }
        finally
        {
            Finish(item);
        }
    }

    public async Task AbandonTaskActivityWorkItemAsync(TaskActivityWorkItem workItem)
    {
        var item = (ClaimedActivity)workItem;
        var claim = item.Claim;
        try
        {
            await store.AbandonActivityAsync(claim, Backoff(claim.DequeueCount));
        }
        finally
        {
            Finish(item);
        }
    }
}
