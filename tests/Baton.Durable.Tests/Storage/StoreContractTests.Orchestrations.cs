using Baton.Durable.History;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Claim_ReturnsHistoryAndOnlyVisibleMessages()
    {
        await StartRunningAsync("claim", commit => commit with
        {
            NewHistory =
            [
                .. commit.NewHistory,
                Event(HistoryEventType.TaskScheduled, taskId: 0, name: "Greet", data: "\"activity input\""),
                new HistoryEvent(HistoryEventType.TimerCreated, UtcNow) { TaskId = 1, FireAt = UtcNow.AddHours(1) },
            ],
            Activities = [new ActivityRequest(commit.Instance.ExecutionId, 0, "Greet", "\"activity input\"", null)],
            Messages = [new OutboundMessage("claim", null, new HistoryEvent(HistoryEventType.TimerFired, UtcNow) { TaskId = 1 }, UtcNow.AddHours(1))],
        });
        await Store.EnqueueMessageAsync("claim", Event(HistoryEventType.EventRaised, name: "go", data: "42"));

        var item = await ClaimOnlyAsync("claim");

        var message = Assert.Single(item.Messages);
        Assert.Equal((HistoryEventType.EventRaised, "go", "42"), (message.Event.Type, message.Event.Name, message.Event.Data));
        Assert.Equal([HistoryEventType.OrchestratorStarted, HistoryEventType.ExecutionStarted, HistoryEventType.TaskScheduled, HistoryEventType.TimerCreated],
            item.History.Select(h => h.Type));
        Assert.Equal("\"in\"", item.History[1].Data);
        Assert.Null(item.History[2].Data); // scheduling inputs are not loaded for replay
        Assert.Equal(("Greet", 0), (item.History[2].Name, item.History[2].TaskId));
        Assert.Equal((Running, 4, 1L), (item.Instance.Status, item.Instance.HistoryCount, item.Instance.RowVersion));
        Assert.Equal("\"activity input\"", (await Store.GetHistoryAsync("claim"))[2].Data);
    }

    [Fact]
    public async Task Claim_LiveLease_ExcludesOthersUntilExpiryThenReclaimsWithNewToken()
    {
        await StartAsync("lease");
        var first = await ClaimOnlyAsync("lease", "w1", ShortLease);

        Assert.Empty(await Store.ClaimOrchestrationsAsync("w2", 10, 10, LongLease));
        await Task.Delay(PastShortLease);
        var second = await ClaimOnlyAsync("lease", "w2");

        Assert.NotEqual(first.LockToken, second.LockToken);
        Assert.Equal(first.Messages[0].Id, second.Messages[0].Id);
        Assert.Equal((1, 2), (first.Messages[0].DequeueCount, second.Messages[0].DequeueCount));
        Assert.Equal(CommitOutcome.LeaseLost, await Store.CommitEpisodeAsync(Commit(first, Running, FirstEpisodeHistory(first))));
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(second, Running, FirstEpisodeHistory(second))));
    }

    [Fact]
    public async Task RenewOrchestrationLease_KeepsTheInstanceUntilTheNewExpiryAndFailsForAStaleToken()
    {
        await StartAsync("renewed-lease");
        var first = await ClaimOnlyAsync("renewed-lease", "w1", ShortLease);

        Assert.True(await Store.RenewOrchestrationLeaseAsync(first, LongLease));
        await Task.Delay(PastShortLease);

        Assert.Empty(await Store.ClaimOrchestrationsAsync("w2", 10, 10, LongLease));
        Assert.False(await Store.RenewOrchestrationLeaseAsync(first with { LockToken = "not-the-token" }, LongLease));
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(first, Running, FirstEpisodeHistory(first))));
        Assert.False(await Store.RenewOrchestrationLeaseAsync(first, LongLease));
    }

    [Fact]
    public async Task RenewLeases_ExtendsEveryLeaseTheWorkerHoldsAndNoOneElses()
    {
        await StartAsync("beat-mine");
        var mine = await ClaimOnlyAsync("beat-mine", "w1", ShortLease);
        await StartAsync("beat-theirs");
        var theirs = await ClaimOnlyAsync("beat-theirs", "w2", ShortLease);

        Assert.Equal(1, await Store.RenewLeasesAsync("w1", LongLease, LongLease));
        await Task.Delay(PastShortLease);

        // w2's lease lapsed and is claimed again; w1's holds.
        var reclaimed = Assert.Single(await Store.ClaimOrchestrationsAsync("w3", 10, 10, LongLease));
        Assert.Equal(theirs.InstanceId, reclaimed.InstanceId);
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(mine, Running, FirstEpisodeHistory(mine))));
    }

    [Fact]
    public async Task Commit_StaleToken_ReturnsLeaseLostAndChangesNothing()
    {
        await StartAsync("fenced");
        var item = await ClaimOnlyAsync("fenced");
        var stale = Commit(item, Completed, FirstEpisodeHistory(item)) with
        {
            LockToken = "not-the-token",
            Activities = [new ActivityRequest(item.Instance.ExecutionId, 0, "A", null, null)],
            Messages = [new OutboundMessage("fenced", null, Event(HistoryEventType.EventRaised), UtcNow)],
        };

        Assert.Equal(CommitOutcome.LeaseLost, await Store.CommitEpisodeAsync(stale));

        var record = await GetAsync("fenced");
        Assert.Equal((Pending, 0, 0L), (record.Status, record.HistoryCount, record.RowVersion));
        Assert.Equal(new StoreCounts(1, 1, 0, 0), await Store.GetCountsAsync());
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));
    }

    [Fact]
    public async Task Commit_StaleTokenAmongConcurrentCommits_IsUndoneAloneAndTheOthersCommit()
    {
        // Queued together, these commits share group-commit transactions: the writer's optimistic run (no savepoints)
        // meets the fenced one and must fall back to undoing that one alone.
        var ids = Enumerable.Range(0, 12).Select(i => $"batch-{i:D2}").ToArray();
        foreach (var id in ids) await StartAsync(id);
        var items = (await ClaimAllAsync()).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        Assert.Equal(ids, items.Select(i => i.InstanceId));

        var commits = items.Select((item, i) => Commit(item, Running, FirstEpisodeHistory(item)) with
        {
            LockToken = i == 5 ? "not-the-token" : item.LockToken,
            // Not fenced by themselves: only undoing the operation keeps the fenced commit's from landing.
            Activities = i == 5 ? [new ActivityRequest(item.Instance.ExecutionId, 0, "A", null, null)] : [],
            Messages = i == 5 ? [new OutboundMessage(item.InstanceId, null, Event(HistoryEventType.EventRaised), UtcNow)] : [],
        });
        var outcomes = await Task.WhenAll(commits.Select(c => Store.CommitEpisodeAsync(c)));

        Assert.Equal(ids.Select((_, i) => i == 5 ? CommitOutcome.LeaseLost : CommitOutcome.Committed), outcomes);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            Assert.Equal(i == 5 ? (Pending, 0) : (Running, 2), ((await GetAsync(id)).Status, (await GetAsync(id)).HistoryCount));
        Assert.Equal(new StoreCounts(12, 1, 0, 0), await Store.GetCountsAsync());   // the fenced one's start row only
    }

    [Fact]
    public async Task Commit_ConsumingFewerThanClaimed_GivesTheRestBackWithoutCountingADelivery()
    {
        await StartAsync("partial");
        await Store.EnqueueMessageAsync("partial", Event(HistoryEventType.EventRaised, name: "kept"));
        var item = await ClaimOnlyAsync("partial");
        Assert.Equal(2, item.Messages.Count);

        var commit = Commit(item, Running, FirstEpisodeHistory(item)) with
        {
            ConsumedMessageIds = [item.Messages[0].Id],
        };
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

        var again = await ClaimOnlyAsync("partial");
        var kept = Assert.Single(again.Messages);
        Assert.Equal(("kept", 1), (kept.Event.Name, kept.DequeueCount));
    }

    [Fact]
    public async Task Commit_HistorySequenceAlreadyTaken_ReturnsLeaseLost()
    {
        await StartAsync("split-brain");
        var item = await ClaimOnlyAsync("split-brain");
        // As if another worker had already appended this episode's first event.
        await ExecuteSqlAsync(
            "INSERT INTO dt_history (instance_id, execution_id, seq, event_type, ts, payload) " +
            $"VALUES ('split-brain', '{item.Instance.ExecutionId}', 0, 'OrchestratorStarted', 0, '{{\"type\":\"OrchestratorStarted\",\"timestamp\":\"2025-01-01T00:00:00Z\"}}')");

        Assert.Equal(CommitOutcome.LeaseLost, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));

        var record = await GetAsync("split-brain");
        Assert.Equal((Pending, 0), (record.Status, record.HistoryCount));
        Assert.Equal(1, (await Store.GetCountsAsync()).InboxRows);
    }

    [Fact]
    public async Task Commit_HistorySequenceTakenAmongConcurrentCommits_IsLeaseLostAloneAndTheOthersCommit()
    {
        // The writer sends a batch's statements together (one round trip on PostgreSQL): the duplicate history row fails
        // that whole send, and the writer must find the one commit it belongs to and settle it as LeaseLost.
        var ids = Enumerable.Range(0, 12).Select(i => $"split-{i:D2}").ToArray();
        foreach (var id in ids) await StartAsync(id);
        var items = (await ClaimAllAsync()).OrderBy(i => i.InstanceId, StringComparer.Ordinal).ToList();
        await ExecuteSqlAsync(
            "INSERT INTO dt_history (instance_id, execution_id, seq, event_type, ts, payload) " +
            $"VALUES ('split-07', '{items[7].Instance.ExecutionId}', 0, 'OrchestratorStarted', 0, '{{\"type\":\"OrchestratorStarted\",\"timestamp\":\"2025-01-01T00:00:00Z\"}}')");

        var outcomes = await Task.WhenAll(items.Select(item => Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item)))));

        Assert.Equal(ids.Select((_, i) => i == 7 ? CommitOutcome.LeaseLost : CommitOutcome.Committed), outcomes);
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
            Assert.Equal(i == 7 ? (Pending, 0) : (Running, 2), ((await GetAsync(id)).Status, (await GetAsync(id)).HistoryCount));
    }

    [Fact]
    public async Task Commit_MessagesArrivingDuringTheEpisode_SurviveIt()
    {
        await StartAsync("during");
        var item = await ClaimOnlyAsync("during");
        await Store.EnqueueMessageAsync("during", Event(HistoryEventType.EventRaised, name: "late"));

        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));

        var next = await ClaimOnlyAsync("during");
        var late = Assert.Single(next.Messages);
        Assert.Equal(("late", 1), (late.Event.Name, late.DequeueCount));
        Assert.Equal(2, next.History.Count);
    }

    [Fact]
    public async Task Commit_ClaimedButNotConsumed_StaysInTheInbox()
    {
        await StartRunningAsync("partial");
        await Store.EnqueueMessageAsync("partial", Event(HistoryEventType.EventRaised, name: "one"));
        await Store.EnqueueMessageAsync("partial", Event(HistoryEventType.EventRaised, name: "two"));
        var item = await ClaimOnlyAsync("partial");
        Assert.Equal(["one", "two"], item.Messages.Select(m => m.Event.Name));

        var commit = Commit(item, Running, Event(HistoryEventType.OrchestratorStarted), item.Messages[0].Event) with
        {
            ConsumedMessageIds = [item.Messages[0].Id],
        };
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

        // A committed episode that leaves a row unconsumed did not fail to deliver it: its count is given back,
        // so rows passed over by ContinueAsNew generations never look like poison.
        var next = await ClaimOnlyAsync("partial");
        Assert.Equal(("two", 1), (next.Messages.Single().Event.Name, next.Messages.Single().DequeueCount));
        Assert.Equal(4, next.History.Count);
    }

    [Fact]
    public async Task Commit_ResetHistory_StartsTheNewExecutionAtSequenceZero()
    {
        var first = await StartRunningAsync("reset", commit => commit with
        {
            NewHistory = [.. commit.NewHistory, Event(HistoryEventType.TimerCreated, taskId: 0)],
        });
        await Store.EnqueueMessageAsync("reset", Event(HistoryEventType.EventRaised, name: "restart"));
        var item = await ClaimOnlyAsync("reset");
        var restart = new HistoryEvent(HistoryEventType.ExecutionStarted, UtcNow) { ExecutionId = "exec-2", Data = "\"next\"" };
        var continueAsNew = new EpisodeCommit
        {
            InstanceId = "reset",
            LockToken = item.LockToken,
            Instance = new InstanceUpdate("exec-2", Running, null, null, null) { NewInput = "\"next\"", InputChanged = true, NewVersion = "2.0" },
            ResetHistory = true,
            NewHistory = [Event(HistoryEventType.OrchestratorStarted), restart],
            ConsumedMessageIds = item.Messages.Select(m => m.Id).ToList(),
            Messages = [new OutboundMessage("reset", "exec-2", Event(HistoryEventType.EventRaised, name: "carried"), UtcNow)],
        };

        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(continueAsNew));

        var record = await GetAsync("reset");
        Assert.Equal(("exec-2", "\"next\"", "2.0", 2), (record.ExecutionId, record.Input, record.Version, record.HistoryCount));
        Assert.NotEqual(first.Instance.ExecutionId, record.ExecutionId);
        Assert.Equal([HistoryEventType.OrchestratorStarted, HistoryEventType.ExecutionStarted], (await Store.GetHistoryAsync("reset")).Select(e => e.Type));
        var next = await ClaimOnlyAsync("reset");
        Assert.Equal(("carried", "exec-2"), (next.Messages.Single().Event.Name, next.Messages.Single().ExecutionId));
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(next, Running, Event(HistoryEventType.OrchestratorStarted))));
        Assert.Equal(3, (await Store.GetHistoryAsync("reset")).Count);
    }

    [Fact]
    public async Task Commit_OutboundMessages_DroppedForMissingFinishedOrOtherExecution_KeptForSelf()
    {
        await CompleteNewAsync("finished");
        var live = await StartRunningAsync("live-target");
        var sender = await StartRunningAsync("sender");
        await Store.EnqueueMessageAsync("sender", Event(HistoryEventType.EventRaised, name: "wake"));
        var item = await ClaimOnlyAsync("sender");
        HistoryEvent Sent(string name) => Event(HistoryEventType.EventRaised, name: name);
        var commit = Commit(item, Completed, Event(HistoryEventType.OrchestratorStarted)) with
        {
            Messages =
            [
                new OutboundMessage("live-target", null, Sent("to-live"), UtcNow),
                new OutboundMessage("live-target", live.Instance.ExecutionId, Sent("to-live-execution"), UtcNow),
                new OutboundMessage("live-target", "some-old-execution", Sent("to-old-execution"), UtcNow),
                new OutboundMessage("finished", null, Sent("to-finished"), UtcNow),
                new OutboundMessage("missing", null, Sent("to-missing"), UtcNow),
                new OutboundMessage("sender", null, Sent("to-self"), UtcNow),
            ],
        };

        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

        var claimed = (await ClaimAllAsync()).ToDictionary(i => i.InstanceId);
        Assert.Equal(["live-target", "sender"], claimed.Keys.Order());
        Assert.Equal(["to-live", "to-live-execution"], claimed["live-target"].Messages.Select(m => m.Event.Name));
        Assert.Equal(["to-self"], claimed["sender"].Messages.Select(m => m.Event.Name)); // terminal, still claimed to consume it
        Assert.Equal(Completed, claimed["sender"].Instance.Status);
        Assert.Null(await Store.GetInstanceAsync("missing", false));
    }

    [Fact]
    public async Task Commit_Children_CreatedOrReportedAsFailedWhenTheIdIsInUse()
    {
        await CompleteNewAsync("old-child");
        var busy = await StartRunningAsync("busy-child");
        var parent = await StartRunningAsync("parent");
        await Store.EnqueueMessageAsync("parent", Event(HistoryEventType.EventRaised));
        var item = await ClaimOnlyAsync("parent");
        NewInstance Child(string id, int taskId) =>
            Instance(id, input: "\"child\"", parent: new ParentOrchestrationInstance("Hello", "parent", parent.Instance.ExecutionId, taskId));

        var commit = Commit(item, Running, Event(HistoryEventType.OrchestratorStarted)) with
        {
            Children = [Child("new-child", 3), Child("busy-child", 4), Child("old-child", 5)],
        };
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

        var created = await GetAsync("new-child");
        Assert.Equal((Pending, "parent", 3), (created.Status, created.Parent!.InstanceId, created.Parent.TaskId));
        Assert.Equal(Pending, (await GetAsync("old-child")).Status);
        var claimed = (await ClaimAllAsync()).ToDictionary(i => i.InstanceId);
        Assert.Equal(["new-child", "old-child", "parent"], claimed.Keys.Order());
        Assert.Equal("parent", claimed["new-child"].Messages.Single().Event.Parent!.InstanceId);
        Assert.Equal("\"child\"", claimed["old-child"].Messages.Single().Event.Data);
        Assert.Empty(claimed["old-child"].History);
        var failed = claimed["parent"].Messages.Single().Event;
        Assert.Equal((HistoryEventType.SubOrchestrationInstanceFailed, 4, "busy-child"), (failed.Type, failed.TaskId, failed.InstanceId));
        Assert.True(failed.Failure!.IsNonRetriable);
        var untouched = await GetAsync("busy-child");
        Assert.Equal((Running, busy.Instance.ExecutionId, 2), (untouched.Status, untouched.ExecutionId, untouched.HistoryCount));
    }

    [Fact]
    public async Task Commit_QuarantineReason_MovesConsumedRowsToQuarantine()
    {
        await StartAsync("poison");
        var item = await ClaimOnlyAsync("poison");

        var commit = Commit(item, Failed, FirstEpisodeHistory(item)) with { QuarantineReason = "PoisonMessage" };
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));

        Assert.Equal(new StoreCounts(1, 0, 0, 1), await Store.GetCountsAsync());
        Assert.Equal(Failed, (await GetAsync("poison")).Status);
    }

    [Fact]
    public async Task Abandon_ClaimedRowsReturnAfterTheBackOff()
    {
        await StartAsync("abandoned");
        var item = await ClaimOnlyAsync("abandoned");

        await Store.AbandonOrchestrationAsync(item, ShortLease);

        Assert.Empty(await ClaimAllAsync("w2"));
        Assert.NotNull(await Store.GetNextWakeUpAsync(WorkQueue.Orchestrations));
        await Task.Delay(PastShortLease);
        var again = await ClaimOnlyAsync("abandoned", "w2");
        Assert.Equal((item.Messages[0].Id, 2), (again.Messages[0].Id, again.Messages[0].DequeueCount));
        Assert.Equal(CommitOutcome.LeaseLost, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));
    }
}
