using Baton.Durable.History;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

public abstract partial class StoreContractTests
{
    /// <summary>Starts an instance whose first episode schedules activity "Work" #0.</summary>
    async Task<OrchestrationWorkItem> ScheduleActivityAsync(string instanceId, TimeSpan? timeout = null)
    {
        return await StartRunningAsync(instanceId, commit => commit with
        {
            Activities =
            [
                new ActivityRequest(commit.Instance.ExecutionId, 0, "Work", "\"job\"", timeout),
                new ActivityRequest(commit.Instance.ExecutionId, 0, "Work", "\"job\"", timeout), // scheduling is idempotent
            ],
        });
    }

    static HistoryEvent TaskCompleted(int taskId, string result) => Event(HistoryEventType.TaskCompleted, taskId: taskId, data: result);

    [Fact]
    public async Task Activity_ClaimRenewComplete_DeliversTheResultOnce()
    {
        var scheduled = await ScheduleActivityAsync("act", timeout: TimeSpan.FromSeconds(90));
        Assert.Equal(1, (await Store.GetCountsAsync()).ActivityRows);

        var work = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, LongLease));
        Assert.Equal(("act", scheduled.Instance.ExecutionId, 0, "Work", "\"job\"", TimeSpan.FromSeconds(90), 1),
            (work.InstanceId, work.ExecutionId, work.TaskId, work.Name, work.Input, work.Timeout, work.DequeueCount));
        Assert.Empty(await Store.ClaimActivitiesAsync("w2", 10, LongLease));
        Assert.True(await Store.RenewActivityLeaseAsync(work, LongLease));

        Assert.True(await Store.CompleteActivityAsync(work, TaskCompleted(0, "\"done\"")));
        Assert.False(await Store.CompleteActivityAsync(work, TaskCompleted(0, "\"again\"")));
        Assert.False(await Store.RenewActivityLeaseAsync(work, LongLease));

        var item = await ClaimOnlyAsync("act");
        var result = Assert.Single(item.Messages);
        Assert.Equal((HistoryEventType.TaskCompleted, 0, "\"done\"", scheduled.Instance.ExecutionId),
            (result.Event.Type, result.Event.TaskId, result.Event.Data, result.ExecutionId));
        Assert.Equal(0, (await Store.GetCountsAsync()).ActivityRows);
    }

    [Fact]
    public async Task Activity_ExpiredLease_IsReclaimedAndTheStaleHolderIsFencedOut()
    {
        await ScheduleActivityAsync("act-expiry");
        var first = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, ShortLease));
        await Task.Delay(PastShortLease);

        var second = Assert.Single(await Store.ClaimActivitiesAsync("w2", 10, LongLease));

        Assert.Equal(first.Id, second.Id);
        Assert.NotEqual(first.LockToken, second.LockToken);
        Assert.Equal(2, second.DequeueCount);
        Assert.False(await Store.RenewActivityLeaseAsync(first, LongLease));
        Assert.False(await Store.CompleteActivityAsync(first, TaskCompleted(0, "\"stale\"")));
        Assert.True(await Store.CompleteActivityAsync(second, TaskCompleted(0, "\"fresh\"")));
        Assert.Equal("\"fresh\"", (await ClaimOnlyAsync("act-expiry")).Messages.Single().Event.Data);
    }

    [Fact]
    public async Task RenewLeases_KeepsTheWorkersActivitiesLeased()
    {
        await ScheduleActivityAsync("act-beat");
        var work = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, ShortLease));

        Assert.Equal(1, await Store.RenewLeasesAsync("w1", LongLease, LongLease));
        Assert.Equal(0, await Store.RenewLeasesAsync("w2", LongLease, LongLease));
        await Task.Delay(PastShortLease);

        Assert.Empty(await Store.ClaimActivitiesAsync("w2", 10, LongLease));
        Assert.True(await Store.CompleteActivityAsync(work, TaskCompleted(0, "\"done\"")));
    }

    [Fact]
    public async Task Activity_RenewedLease_IsNotReclaimed()
    {
        await ScheduleActivityAsync("act-renew");
        var work = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, ShortLease));

        Assert.True(await Store.RenewActivityLeaseAsync(work, LongLease));
        await Task.Delay(PastShortLease);

        Assert.Empty(await Store.ClaimActivitiesAsync("w2", 10, LongLease));
    }

    [Fact]
    public async Task Activity_ResultForFinishedInstanceOrOtherExecution_IsDropped()
    {
        await ScheduleActivityAsync("act-finished");
        await ScheduleActivityAsync("act-continued");
        var works = (await Store.ClaimActivitiesAsync("w1", 10, LongLease)).ToDictionary(w => w.InstanceId);

        // act-finished is terminated; act-continued moves on to a new execution before the results arrive.
        await Store.EnqueueMessageAsync("act-finished", Event(HistoryEventType.ExecutionTerminated));
        await Store.EnqueueMessageAsync("act-continued", Event(HistoryEventType.EventRaised));
        foreach (var item in await ClaimAllAsync())
        {
            var commit = item.InstanceId == "act-finished"
                ? Commit(item, Terminated)
                : Commit(item, Running) with { Instance = new InstanceUpdate("exec-next", Running, null, null, null), ResetHistory = true };
            Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(commit));
        }

        Assert.True(await Store.CompleteActivityAsync(works["act-finished"], TaskCompleted(0, "\"late\"")));
        Assert.True(await Store.CompleteActivityAsync(works["act-continued"], TaskCompleted(0, "\"late\"")));

        Assert.Empty(await ClaimAllAsync());
        Assert.Equal(new StoreCounts(2, 0, 0, 0), await Store.GetCountsAsync());
    }

    [Fact]
    public async Task Activity_Abandon_BacksOffThenIsClaimedAgain()
    {
        await ScheduleActivityAsync("act-abandon");
        var work = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, LongLease));

        await Store.AbandonActivityAsync(work, ShortLease);

        Assert.Empty(await Store.ClaimActivitiesAsync("w2", 10, LongLease));
        await Task.Delay(PastShortLease);
        var again = Assert.Single(await Store.ClaimActivitiesAsync("w2", 10, LongLease));
        Assert.Equal((work.Id, 2), (again.Id, again.DequeueCount));
        Assert.False(await Store.CompleteActivityAsync(work, TaskCompleted(0, "\"old\"")));
    }

    [Fact]
    public async Task Activity_CompleteWithQuarantineReason_QuarantinesTheRowAndDeliversTheFailure()
    {
        await ScheduleActivityAsync("act-poison");
        var work = Assert.Single(await Store.ClaimActivitiesAsync("w1", 10, LongLease));
        var failure = new HistoryEvent(HistoryEventType.TaskFailed, UtcNow)
        {
            TaskId = 0,
            Failure = new TaskFailureDetails("PoisonMessage", "too many deliveries", IsNonRetriable: true),
        };

        Assert.True(await Store.CompleteActivityAsync(work, failure, quarantineReason: "PoisonMessage"));

        Assert.Equal(new StoreCounts(1, 1, 0, 1), await Store.GetCountsAsync());
        var delivered = (await ClaimOnlyAsync("act-poison")).Messages.Single().Event;
        Assert.Equal((HistoryEventType.TaskFailed, "PoisonMessage"), (delivered.Type, delivered.Failure!.ErrorType));
    }
}
