using Baton.Durable.History;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Purge_Single_ReportsMissingAndLiveAndDeletesEverythingOfAFinishedInstance()
    {
        await CompleteNewAsync("purge-done");
        await StartAsync("purge-live");

        Assert.Equal(PurgeOutcome.NotFound, await Store.PurgeInstanceAsync("purge-nobody", recursive: false));
        Assert.Equal(PurgeOutcome.NotTerminal, await Store.PurgeInstanceAsync("purge-live", recursive: false));
        Assert.Equal(PurgeOutcome.Purged, await Store.PurgeInstanceAsync("purge-done", recursive: false));

        Assert.Null(await Store.GetInstanceAsync("purge-done", false));
        Assert.Empty(await Store.GetHistoryAsync("purge-done"));
        Assert.Equal(new StoreCounts(1, 1, 0, 0), await Store.GetCountsAsync());
    }

    [Fact]
    public async Task Purge_Recursive_DeletesFinishedSubOrchestrationsAndKeepsLiveOnes()
    {
        var parent = await StartRunningAsync("tree", commit => commit with
        {
            Children =
            [
                Instance("tree-done", parent: new ParentOrchestrationInstance("Hello", "tree", commit.Instance.ExecutionId, 0)),
                Instance("tree-live", parent: new ParentOrchestrationInstance("Hello", "tree", commit.Instance.ExecutionId, 1)),
            ],
        });
        foreach (var item in await ClaimAllAsync())
        {
            var status = item.InstanceId == "tree-live" ? Running : Completed;
            Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, status, FirstEpisodeHistory(item))));
        }
        await Store.EnqueueMessageAsync("tree", Event(HistoryEventType.EventRaised));
        var last = await ClaimOnlyAsync("tree");
        await Store.CommitEpisodeAsync(Commit(last, Completed));

        Assert.Equal(PurgeOutcome.Purged, await Store.PurgeInstanceAsync("tree", recursive: true));

        Assert.Null(await Store.GetInstanceAsync("tree", false));
        Assert.Null(await Store.GetInstanceAsync("tree-done", false));
        Assert.Equal(Running, (await GetAsync("tree-live")).Status);
        Assert.Equal(parent.InstanceId, (await GetAsync("tree-live")).Parent!.InstanceId);
    }

    [Fact]
    public async Task PurgeInstances_WorksInBatchesAndReportsWhetherMoreRemain()
    {
        for (var i = 0; i < 5; i++) await CompleteNewAsync($"bulk-{i}");
        await CompleteNewAsync("bulk-failed", Failed);
        await StartAsync("bulk-live");

        Assert.Equal(new PurgeResult(0, false), await Store.PurgeInstancesAsync(new PurgeFilter { CompletedBefore = UtcNow.AddHours(-1) }));
        Assert.Equal(new PurgeResult(1, false), await Store.PurgeInstancesAsync(new PurgeFilter { Statuses = [Failed, Running] }));
        Assert.Equal(new PurgeResult(2, true),
            await Store.PurgeInstancesAsync(new PurgeFilter { BatchSize = 2, TimeBudget = TimeSpan.Zero, Statuses = [Completed] }));
        Assert.Equal(new PurgeResult(3, false), await Store.PurgeInstancesAsync(new PurgeFilter { BatchSize = 2, CompletedBefore = UtcNow.AddMinutes(1) }));

        Assert.Equal(new StoreCounts(1, 1, 0, 0), await Store.GetCountsAsync());
    }

    [Fact]
    public async Task PurgeMessageKeys_ForgetsOldKeysInBatchesButKeepsThoseWhoseEventStillWaits()
    {
        await StartAsync("keys");
        await StartAsync("keys-other");
        var raised = Event(HistoryEventType.EventRaised, name: "delivery", data: "1");
        await Store.EnqueueMessageAsync("keys", raised, dedupeKey: "consumed");
        await Store.EnqueueMessageAsync("keys-other", raised, dedupeKey: "consumed");
        foreach (var item in await ClaimAllAsync())
            Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));
        await Store.EnqueueMessageAsync("keys", raised, dedupeKey: "waiting");

        Assert.Equal(new PurgeResult(0, false), await Store.PurgeMessageKeysAsync(UtcNow.AddHours(-1)));
        Assert.Equal(new PurgeResult(1, true), await Store.PurgeMessageKeysAsync(UtcNow.AddMinutes(1), batchSize: 1));
        Assert.Equal(new PurgeResult(1, false), await Store.PurgeMessageKeysAsync(UtcNow.AddMinutes(1)));

        // Forgotten: a repeat is enqueued again. Still waiting in the inbox: a repeat is still a duplicate.
        Assert.Equal(EnqueueOutcome.Enqueued, (await Store.EnqueueMessageAsync("keys", raised, dedupeKey: "consumed")).Outcome);
        Assert.Equal(EnqueueOutcome.Enqueued, (await Store.EnqueueMessageAsync("keys-other", raised, dedupeKey: "consumed")).Outcome);
        Assert.Equal(EnqueueOutcome.Duplicate, (await Store.EnqueueMessageAsync("keys", raised, dedupeKey: "waiting")).Outcome);
    }

    [Fact]
    public async Task NextWakeUp_IsTheEarliestFutureVisibleRow()
    {
        Assert.Null(await Store.GetNextWakeUpAsync(WorkQueue.Orchestrations));
        var soon = UtcNow.AddMinutes(10);
        await StartAsync("wake-later", startAt: UtcNow.AddHours(1));
        await StartAsync("wake-soon", startAt: soon);

        var wakeUp = await Store.GetNextWakeUpAsync(WorkQueue.Orchestrations);
        // The activity dispatcher is not woken by instances' due times: it would only claim nothing.
        Assert.Null(await Store.GetNextWakeUpAsync(WorkQueue.Activities));

        Assert.NotNull(wakeUp);
        Assert.InRange(wakeUp.Value, soon.AddMilliseconds(-2), soon.AddMilliseconds(2));
        Assert.Equal(DateTimeKind.Utc, wakeUp.Value.Kind);
    }

    [Fact]
    public async Task ReleaseLeases_MakesAWorkersInstancesAndActivitiesClaimableAtOnce()
    {
        await StartRunningAsync("release", commit => commit with
        {
            Activities = [new ActivityRequest(commit.Instance.ExecutionId, 0, "Work", null, null)],
        });
        await Store.EnqueueMessageAsync("release", Event(HistoryEventType.EventRaised));
        await ClaimOnlyAsync("release", "leaving", LongLease);
        Assert.Single(await Store.ClaimActivitiesAsync("leaving", 10, LongLease));
        await StartAsync("other");
        await ClaimOnlyAsync("other", "staying", LongLease);

        await Store.ReleaseLeasesAsync("leaving");

        var item = await ClaimOnlyAsync("release", "w2");
        Assert.Equal(2, item.Messages.Single().DequeueCount);
        Assert.Equal(2, Assert.Single(await Store.ClaimActivitiesAsync("w2", 10, LongLease)).DequeueCount);
    }

    [Fact]
    public async Task Singleton_OneOwnerUntilItsLeaseExpires()
    {
        Assert.True(await Store.TryAcquireSingletonAsync("retention", "a", ShortLease));
        Assert.False(await Store.TryAcquireSingletonAsync("retention", "b", ShortLease));
        Assert.True(await Store.TryAcquireSingletonAsync("retention", "a", ShortLease));
        Assert.True(await Store.TryAcquireSingletonAsync("other-job", "b", ShortLease));

        await Task.Delay(PastShortLease);

        Assert.True(await Store.TryAcquireSingletonAsync("retention", "b", LongLease));
        Assert.False(await Store.TryAcquireSingletonAsync("retention", "a", LongLease));
        await Store.ReleaseLeasesAsync("b");
        Assert.True(await Store.TryAcquireSingletonAsync("retention", "a", LongLease));
    }
}
