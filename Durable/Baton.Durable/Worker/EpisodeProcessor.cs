using System.Diagnostics;
using Baton.Durable.Execution;
using Baton.Durable.Hosting;
using Baton.Durable.History;
using Baton.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Worker;

/// <summary>Turns one claimed orchestration work item into one committed episode (or an abandoned claim).</summary>
sealed class EpisodeProcessor(
    IDurableStore store,
    DurableRegistry registry,
    WorkSignals signals,
    IServiceProvider services,
    DurableOptions settings,
    ILoggerFactory loggerFactory)
{
    readonly ILogger logger = loggerFactory.CreateLogger<EpisodeProcessor>();
    readonly OrchestrationExecutor executor = new(loggerFactory,
        new ExecutorSettings(settings.DefaultActivityTimeout, settings.Limits.MaxPayloadBytes, DurableTaskClient.NewExecutionId));

    public async Task ProcessAsync(OrchestrationWorkItem item)
    {
        using var span = DurableTelemetry.Source.StartActivity($"orchestration {item.Instance.Name}");
        span?.SetTag("baton.instance_id", item.InstanceId);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var commit = Decide(item);
            if (commit is null) return;

            var outcome = await store.CommitEpisodeAsync(commit);
            if (outcome == CommitOutcome.LeaseLost)
            {
                DurableLog.LeaseLost(logger, item.InstanceId);
                return;
            }
            AfterCommit(item, commit);
            DurableTelemetry.Episodes.Add(1);
            DurableTelemetry.EpisodeMs.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            var retryAfter = Backoff(item);
            DurableLog.EpisodeAbandoned(logger, e, item.InstanceId, retryAfter);
            await AbandonQuietlyAsync(item, retryAfter);
        }
    }

    /// <summary>The commit for this work item, or null when the claim was abandoned instead.</summary>
    EpisodeCommit? Decide(OrchestrationWorkItem item)
    {
        var poison = item.Messages.Count(m => m.DequeueCount > settings.MaxDequeueCount);
        if (poison > 0)
        {
            DurableLog.PoisonMessages(logger, item.InstanceId, poison, settings.MaxDequeueCount);
            var failure = new TaskFailureDetails("PoisonMessage",
                $"{poison} message(s) were delivered more than {settings.MaxDequeueCount} times without committing; they were quarantined.",
                IsNonRetriable: true);
            return Stop(item, settings.PoisonPolicy, failure) with
            {
                QuarantineReason = failure.ErrorMessage,
                Deliveries = item.Messages.Max(m => m.DequeueCount),
            };
        }

        var limits = settings.Limits;
        if (item.Instance.HistoryCount > limits.MaxHistoryEvents || item.Instance.HistoryBytes > limits.MaxHistoryBytes)
        {
            return Stop(item, FailOrSuspend.Fail, new TaskFailureDetails("HistoryLimitExceeded",
                $"The history has {item.Instance.HistoryCount} events / {item.Instance.HistoryBytes} bytes, over the limit of " +
                $"{limits.MaxHistoryEvents} / {limits.MaxHistoryBytes}. Use ContinueAsNew or sub-orchestrations.", IsNonRetriable: true));
        }
        if (item.Instance.HistoryCount > limits.WarnHistoryEvents || item.Instance.HistoryBytes > limits.WarnHistoryBytes)
            DurableLog.LargeHistory(logger, item.InstanceId, item.Instance.HistoryCount, item.Instance.HistoryBytes);

        if (!registry.TryCreateOrchestrator(item.Instance.Name, services, out var orchestrator))
        {
            if (item.Instance.Status.IsTerminal()) return ConsumeAll(item);
            // Perhaps a newer replica knows it (rolling deploy): back off; poison handling ends this eventually.
            var retryAfter = Backoff(item);
            DurableLog.OrchestratorNotRegistered(logger, item.Instance.Name, item.InstanceId, retryAfter);
            _ = AbandonQuietlyAsync(item, retryAfter);
            return null;
        }

        var result = executor.Execute(orchestrator, item);
        switch (result.Kind)
        {
            case EpisodeKind.NotStarted:
                _ = AbandonQuietlyAsync(item, TimeSpan.FromSeconds(1));
                return null;
            case EpisodeKind.NonDeterministic:
                DurableLog.NonDeterministic(logger, item.InstanceId,
                    settings.NonDeterminismPolicy == FailOrSuspend.Fail ? "failed" : "suspended", result.Error!.Message);
                return Stop(item, settings.NonDeterminismPolicy, TaskFailureDetails.FromException(result.Error) with { IsNonRetriable = true });
            default:
                return result.Commit;
        }
    }

    /// <summary>
    /// Ends (Fail) or parks (Suspend) an instance that cannot safely run. Either way every claimed message is
    /// consumed into history, so nothing is lost and a later resume replays it.
    /// </summary>
    static EpisodeCommit Stop(OrchestrationWorkItem item, FailOrSuspend policy, TaskFailureDetails failure)
    {
        var instance = item.Instance;
        var now = item.Now;
        var held = item.Messages
            .Where(m => m.ExecutionId is null || m.ExecutionId == instance.ExecutionId)
            .Where(m => !(m.Event.Type == HistoryEventType.ExecutionStarted && item.History.Count > 0))
            .Select(m => m.Event).ToList();
        var messages = new List<OutboundMessage>();
        var status = policy == FailOrSuspend.Suspend ? OrchestrationRuntimeStatus.Suspended : OrchestrationRuntimeStatus.Failed;
        if (status == OrchestrationRuntimeStatus.Failed)
        {
            held.Add(new HistoryEvent(HistoryEventType.ExecutionCompleted, now) { Status = status, Failure = failure });
            if (instance.Parent is { } parent)
                messages.Add(new OutboundMessage(parent.InstanceId, parent.ExecutionId,
                    new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, now) { TaskId = parent.TaskId, Failure = failure }, now));
        }
        return new EpisodeCommit
        {
            InstanceId = instance.InstanceId,
            LockToken = item.LockToken,
            Instance = new InstanceUpdate(instance.ExecutionId, status, null, instance.CustomStatus, failure),
            NewHistory = instance.Status.IsTerminal() ? [] : held,
            ConsumedMessageIds = item.Messages.Select(m => m.Id).ToList(),
            Messages = messages,
        };
    }

    static EpisodeCommit ConsumeAll(OrchestrationWorkItem item) => new()
    {
        InstanceId = item.InstanceId,
        LockToken = item.LockToken,
        Instance = new InstanceUpdate(item.Instance.ExecutionId, item.Instance.Status, item.Instance.Output,
            item.Instance.CustomStatus, item.Instance.Failure),
        ConsumedMessageIds = item.Messages.Select(m => m.Id).ToList(),
    };

    void AfterCommit(OrchestrationWorkItem item, EpisodeCommit commit)
    {
        if (commit.Activities.Count > 0) signals.Activities.Set();
        if (commit.Children.Count > 0 || commit.Messages.Any(m => m.VisibleAt <= item.Now)) signals.Orchestrations.Set();
        var status = commit.Instance.Status;
        if (status.IsTerminal() && !item.Instance.Status.IsTerminal())
        {
            DurableLog.OrchestrationFinished(logger, item.InstanceId, item.Instance.Name, status);
            DurableTelemetry.OrchestrationsFinished.Add(1);
        }
        if (status.IsTerminal() || status != item.Instance.Status) signals.Completions.Set();
    }

    /// <summary>Exponential back-off by how often these messages were already delivered: 1 s, 2 s, 4 s … 5 min.</summary>
    static TimeSpan Backoff(OrchestrationWorkItem item)
    {
        var deliveries = item.Messages.Count == 0 ? 1 : item.Messages.Max(m => m.DequeueCount);
        return TimeSpan.FromSeconds(Math.Min(Math.Pow(2, Math.Max(0, deliveries - 1)), 300));
    }

    async Task AbandonQuietlyAsync(OrchestrationWorkItem item, TimeSpan retryAfter)
    {
        try
        {
            await store.AbandonOrchestrationAsync(item, retryAfter);
        }
        catch (Exception e)
        {
            // The lease will expire on its own; nothing is lost.
            DurableLog.DispatcherError(logger, e, "abandon");
        }
    }
}
