using Baton.Durable.Execution;
using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Baton.Durable.Tests.Execution;

/// <summary>
/// Drives the real <see cref="OrchestrationExecutor"/> episode by episode over an in-memory history and
/// inbox, so replay behaviour can be pinned without a database. After every episode it replays the whole
/// history again with no new messages and checks that the code asks for nothing new — the determinism
/// check a real restart would perform.
/// </summary>
sealed class ReplayHarness
{
    readonly ITaskOrchestrator orchestrator;
    readonly OrchestrationExecutor executor;
    readonly List<InboxMessage> inbox = [];
    long nextMessageId = 1;
    int executionCounter;

    public ReplayHarness(ITaskOrchestrator orchestrator, string name = "TestOrchestration", string instanceId = "instance-1",
        ILoggerFactory? loggerFactory = null)
    {
        this.orchestrator = orchestrator;
        executor = new OrchestrationExecutor(loggerFactory ?? NullLoggerFactory.Instance,
            new ExecutorSettings(TimeSpan.FromMinutes(1), 1024 * 1024, () => $"exec-{++executionCounter}"));
        Instance = new InstanceRecord(instanceId, "exec-0", name, null, OrchestrationRuntimeStatus.Pending, null, null, null, null,
            Now, Now, null, null, null, 0, 0, 0);
    }

    public DateTime Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public InstanceRecord Instance { get; private set; }
    public List<HistoryEvent> History { get; } = [];
    /// <summary>Activities scheduled and not yet answered.</summary>
    public List<ActivityRequest> PendingActivities { get; } = [];
    public List<EpisodeCommit> Commits { get; } = [];
    public List<OutboundMessage> SentToOthers { get; } = [];
    /// <summary>How the scripted activities answer; default: echo the input.</summary>
    public Func<ActivityRequest, int, HistoryEvent>? Responder { get; set; }
    readonly Dictionary<string, int> attempts = new();

    public void Start(object? input) =>
        Enqueue(null, new HistoryEvent(HistoryEventType.ExecutionStarted, Now)
            { Name = Instance.Name, Data = DurableJson.Serialize(input), ExecutionId = Instance.ExecutionId });

    public void Raise(string name, object? payload) =>
        Enqueue(null, new HistoryEvent(HistoryEventType.EventRaised, Now) { Name = name, Data = DurableJson.Serialize(payload) });

    public void Control(HistoryEventType type, string? reason = null) => Enqueue(null, new HistoryEvent(type, Now) { Reason = reason });

    public void Advance(TimeSpan by) => Now += by;

    /// <summary>Runs one episode over every visible message and applies its commit.</summary>
    public EpisodeResult RunEpisode()
    {
        var visible = inbox.Where(m => m.VisibleAt <= Now).OrderBy(m => m.Id).ToList();
        var item = new OrchestrationWorkItem(Instance.InstanceId, "token", Instance, History.ToList(), visible, Now);
        var result = executor.Execute(orchestrator, item);
        if (result.Kind != EpisodeKind.Progressed) return result;
        Apply(result.Commit);
        AssertReplayIsDeterministic();
        return result;
    }

    /// <summary>Answers pending activities, fires due timers and runs episodes until the instance finishes.</summary>
    public OrchestrationRuntimeStatus RunToCompletion(int maxEpisodes = 200)
    {
        for (var i = 0; i < maxEpisodes; i++)
        {
            if (!inbox.Any(m => m.VisibleAt <= Now))
            {
                AnswerActivities();
                if (!inbox.Any(m => m.VisibleAt <= Now))
                {
                    if (inbox.Count == 0) return Instance.Status;
                    Now = inbox.Min(m => m.VisibleAt);
                }
            }
            RunEpisode();
            if (Instance.Status.IsTerminal()) return Instance.Status;
        }
        throw new InvalidOperationException("The orchestration did not finish.");
    }

    public void AnswerActivities()
    {
        foreach (var request in PendingActivities.ToList())
        {
            PendingActivities.Remove(request);
            var attempt = attempts[request.Name] = attempts.GetValueOrDefault(request.Name) + 1;
            var answer = Responder?.Invoke(request, attempt)
                ?? new HistoryEvent(HistoryEventType.TaskCompleted, Now) { Data = request.Input };
            Enqueue(request.ExecutionId, answer with { TaskId = request.TaskId, Timestamp = Now });
        }
    }

    public void Deliver(string? executionId, HistoryEvent e) => Enqueue(executionId, e);

    /// <summary>History without the episode markers, as "Type#task Name" lines — the golden form.</summary>
    public IReadOnlyList<string> Golden() => History
        .Where(e => e.Type is not (HistoryEventType.OrchestratorStarted or HistoryEventType.OrchestratorCompleted))
        .Select(e => e.TaskId >= 0 ? $"{e.Type}#{e.TaskId}{(e.Name is null ? "" : " " + e.Name)}" : $"{e.Type}{(e.Name is null ? "" : " " + e.Name)}")
        .ToList();

    void Enqueue(string? executionId, HistoryEvent e, DateTime? visibleAt = null) =>
        inbox.Add(new InboxMessage(nextMessageId++, Instance.InstanceId, executionId, e, visibleAt ?? Now, 1));

    void Apply(EpisodeCommit commit)
    {
        Commits.Add(commit);
        inbox.RemoveAll(m => commit.ConsumedMessageIds.Contains(m.Id));
        if (commit.ResetHistory) History.Clear();
        History.AddRange(commit.NewHistory);
        foreach (var activity in commit.Activities) PendingActivities.Add(activity);
        foreach (var message in commit.Messages)
        {
            if (message.TargetInstanceId == Instance.InstanceId)
                Enqueue(message.TargetExecutionId, message.Event, message.VisibleAt);
            else
                SentToOthers.Add(message);
        }
        var update = commit.Instance;
        Instance = Instance with
        {
            ExecutionId = update.ExecutionId,
            Status = update.Status,
            Output = update.Output,
            CustomStatus = update.CustomStatus,
            Failure = update.Failure,
            Input = update.InputChanged ? update.NewInput : Instance.Input,
            HistoryCount = History.Count,
        };
        if (commit.ResetHistory) PendingActivities.RemoveAll(a => a.ExecutionId != update.ExecutionId);
    }

    void AssertReplayIsDeterministic()
    {
        if (Instance.Status.IsTerminal() || History.Count == 0) return;
        var item = new OrchestrationWorkItem(Instance.InstanceId, "token", Instance, History.ToList(), [], Now);
        var replay = executor.Execute(orchestrator, item);
        if (replay.Kind == EpisodeKind.NonDeterministic)
            throw new InvalidOperationException("Replaying the committed history was not deterministic: " + replay.Error!.Message);
        var scheduled = replay.Commit.NewHistory.Where(e => e.IsSchedulingEvent).ToList();
        if (scheduled.Count > 0)
            throw new InvalidOperationException(
                $"Replay with no new events scheduled new work: {string.Join(", ", scheduled.Select(e => $"{e.Type}#{e.TaskId}"))}");
    }
}
