using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Execution;

/// <summary>
/// Runs one episode: replays committed history, applies the newly claimed messages, lets the orchestrator
/// run until it is blocked on durable tasks, and describes everything that changed as an <see cref="EpisodeCommit"/>.
/// Pure with respect to storage: it reads the work item and returns a commit; the worker persists it.
/// </summary>
sealed class OrchestrationExecutor(ILoggerFactory loggerFactory, ExecutorSettings settings)
{
    readonly ILogger logger = loggerFactory.CreateLogger<OrchestrationExecutor>();

    public EpisodeResult Execute(ITaskOrchestrator orchestrator, OrchestrationWorkItem item)
    {
        var instance = item.Instance;
        var episode = new Episode(item, settings.NewExecutionId);

        // Reconcile the claimed messages with the instance (ENGINE.md §2.3): late or stale rows are consumed unapplied.
        var toApply = new List<InboxMessage>();
        foreach (var message in OrderForApply(item.Messages, item.History.Count == 0))
        {
            if (IsStale(message, instance, item.History.Count > 0))
            {
                episode.Consumed.Add(message.Id);
                continue;
            }
            toApply.Add(message);
        }

        // Every continuation of the orchestrator runs on this thread, through the episode's own context.
        var previous = SynchronizationContext.Current;
        var sync = new EpisodeSynchronizationContext();
        SynchronizationContext.SetSynchronizationContext(sync);
        try
        {
            var context = new ReplayContext(instance.Name, instance.InstanceId, instance.ExecutionId, sync, loggerFactory,
                settings.DefaultActivityTimeout, settings.MaxPayloadBytes);
            var runner = new EpisodeRunner(orchestrator, context, sync, episode, logger);
            return runner.Run(item.History, toApply, EpisodeTime(item));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>Orchestration time never moves backwards, even across replicas with different clocks.</summary>
    static DateTime EpisodeTime(OrchestrationWorkItem item)
    {
        var last = item.History.LastOrDefault(e => e.Type == HistoryEventType.OrchestratorStarted)?.Timestamp;
        var now = DateTime.SpecifyKind(item.Now, DateTimeKind.Utc);
        return last is { } l && l > now ? l : now;
    }

    static IEnumerable<InboxMessage> OrderForApply(IReadOnlyList<InboxMessage> messages, bool freshExecution)
    {
        // A new execution must see its ExecutionStarted first, whatever arrived before it.
        if (!freshExecution) return messages;
        return messages.OrderBy(m => m.Event.Type == HistoryEventType.ExecutionStarted ? 0 : 1).ThenBy(m => m.Id);
    }

    static bool IsStale(InboxMessage message, InstanceRecord instance, bool started)
    {
        if (message.ExecutionId is { } executionId && executionId != instance.ExecutionId) return true;
        if (message.Event.Type == HistoryEventType.ExecutionStarted && started) return true;
        return false;
    }
}

sealed record ExecutorSettings(TimeSpan DefaultActivityTimeout, int MaxPayloadBytes, Func<string> NewExecutionId);

/// <summary>The outcome of one episode.</summary>
sealed record EpisodeResult(EpisodeCommit Commit, EpisodeKind Kind, Exception? Error = null)
{
    public bool IsTerminal => Commit.Instance.Status.IsTerminal();
}

enum EpisodeKind
{
    /// <summary>Ran and is waiting for more events (or finished).</summary>
    Progressed,
    /// <summary>Replay found the code changed under the instance.</summary>
    NonDeterministic,
    /// <summary>Nothing to apply yet (e.g. events raised before a scheduled start); the lease should be abandoned.</summary>
    NotStarted,
}

/// <summary>Mutable bookkeeping for one episode: consumed rows and the new history being built.</summary>
sealed class Episode(OrchestrationWorkItem item, Func<string> newExecutionId)
{
    public OrchestrationWorkItem Item { get; } = item;
    public List<long> Consumed { get; } = [];
    public List<HistoryEvent> NewHistory { get; } = [];
    public Func<string> NewExecutionId { get; } = newExecutionId;
}
