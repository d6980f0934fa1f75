using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

/// <summary>
/// A store keeps the histories of instances it ran, so their next claim reads no rows. These tests show that what a
/// claim hands out is always what the database holds: after the store's own commits (served from memory), after a lost
/// lease, and across ContinueAsNew. PostgresStoreTests adds another process's episode in between.
/// </summary>
public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Claim_AfterOwnCommits_HandsOutExactlyTheStoredHistory()
    {
        await StartRunningAsync("cached", commit => commit with
        {
            NewHistory =
            [
                .. commit.NewHistory,
                Event(HistoryEventType.TaskScheduled, taskId: 0, name: "Greet", data: "\"activity input\""),
            ],
        });
        await Store.EnqueueMessageAsync("cached", Event(HistoryEventType.TaskCompleted, taskId: 0, data: "\"hello\""));
        var second = await ClaimOnlyAsync("cached");
        await CommitAsync(Commit(second, Running, Event(HistoryEventType.OrchestratorStarted), second.Messages[0].Event,
            new HistoryEvent(HistoryEventType.TimerCreated, UtcNow) { TaskId = 1, FireAt = UtcNow.AddHours(1) }));
        await Store.EnqueueMessageAsync("cached", Event(HistoryEventType.EventRaised, name: "go", data: "7"));

        var fromMemory = await ClaimOnlyAsync("cached");

        // A claim hands out the stored rows, scheduling events without their input (IDurableStore.ClaimOrchestrationsAsync).
        var stored = (await Store.GetHistoryAsync("cached")).Select(e => e.IsSchedulingEvent ? e with { Data = null } : e).ToList();
        Assert.Equal(6, fromMemory.History.Count);
        Assert.Equal(Json(stored), Json(fromMemory.History));
        // As read from rows, a scheduling event comes without its input; a completion keeps its result.
        Assert.Null(fromMemory.History.Single(e => e.Type == HistoryEventType.TaskScheduled).Data);
        Assert.Equal("\"hello\"", fromMemory.History.Single(e => e.Type == HistoryEventType.TaskCompleted).Data);
    }

    [Fact]
    public async Task Claim_AfterContinueAsNew_HandsOutOnlyTheNewExecution()
    {
        var first = await StartRunningAsync("renewed");
        await Store.EnqueueMessageAsync("renewed", Event(HistoryEventType.EventRaised, name: "restart"));
        var item = await ClaimOnlyAsync("renewed");
        var started = new HistoryEvent(HistoryEventType.ExecutionStarted, UtcNow) { Name = "Hello", Data = "\"again\"", ExecutionId = "exec-next" };
        await CommitAsync(Commit(item, Running, Event(HistoryEventType.OrchestratorStarted), started) with
        {
            ResetHistory = true,
            Instance = new InstanceUpdate("exec-next", Running, null, null, null),
        });
        await Store.EnqueueMessageAsync("renewed", Event(HistoryEventType.EventRaised, name: "after"));

        var next = await ClaimOnlyAsync("renewed");

        Assert.NotEqual(first.Instance.ExecutionId, next.Instance.ExecutionId);
        Assert.Equal([HistoryEventType.OrchestratorStarted, HistoryEventType.ExecutionStarted], next.History.Select(e => e.Type));
        Assert.Equal("\"again\"", next.History[1].Data);
    }

    [Fact]
    public async Task Claim_AfterALostLease_DoesNotHandOutTheLostEpisode()
    {
        await StartRunningAsync("lost");
        await Store.EnqueueMessageAsync("lost", Event(HistoryEventType.EventRaised, name: "one"));
        var stale = await ClaimOnlyAsync("lost", lease: ShortLease);
        await Task.Delay(PastShortLease);
        var current = await ClaimOnlyAsync("lost", worker: "w2");

        Assert.Equal(CommitOutcome.LeaseLost, await Store.CommitEpisodeAsync(
            Commit(stale, Running, Event(HistoryEventType.OrchestratorStarted), Event(HistoryEventType.EventRaised, name: "never"))));
        await CommitAsync(Commit(current, Running, Event(HistoryEventType.OrchestratorStarted), current.Messages[0].Event));
        await Store.EnqueueMessageAsync("lost", Event(HistoryEventType.EventRaised, name: "two"));
        var next = await ClaimOnlyAsync("lost");

        Assert.Equal(4, next.History.Count);
        Assert.DoesNotContain(next.History, e => e.Name == "never");
        Assert.Equal("one", next.History[3].Name);
    }

    async Task CommitAsync(EpisodeCommit commit) => Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

    static string Json(IReadOnlyList<HistoryEvent> history) => DurableJson.Serialize(history);
}
