using Baton.Durable.History;
using Baton.Durable.Storage;

namespace Baton.Durable.Tests.Storage;

// Activities run by an external claimer: name filters on the claim, reading a lease back by id, listing by name.
public abstract partial class StoreContractTests
{
    const string Remote = "Remote";

    /// <summary>Starts an instance whose first episode schedules one activity per name, with task ids 0, 1, ...</summary>
    async Task<OrchestrationWorkItem> ScheduleActivitiesAsync(string instanceId, params string[] names) =>
        await StartRunningAsync(instanceId, commit => commit with
        {
            Activities = names.Select((name, task) => new ActivityRequest(commit.Instance.ExecutionId, task, name, $"\"{name}-{task}\"", null))
                .ToList(),
        });

    [Fact]
    public async Task ClaimActivities_NameFilters_ClaimOnlyMatchingRowsAndLeaveTheOthersUntouched()
    {
        await ScheduleActivitiesAsync("filters", "Work", Remote, "Other");

        Assert.Empty(await Store.ClaimActivitiesAsync("w1", 10, LongLease, ActivityNameFilter.Only([])));
        var local = await Store.ClaimActivitiesAsync("w1", 10, LongLease, ActivityNameFilter.Except([Remote]));
        var remote = Assert.Single(await Store.ClaimActivitiesAsync("runner", 10, LongLease, ActivityNameFilter.Only([Remote, "Missing"])));

        Assert.Equal(["Work", "Other"], local.Select(w => w.Name));
        // Rows a claimer skipped were never leased: this is the remote row's first delivery.
        Assert.Equal((Remote, 1, "runner"), (remote.Name, remote.DequeueCount, remote.LockedBy));
        Assert.Empty(await Store.ClaimActivitiesAsync("w2", 10, LongLease, ActivityNameFilter.All));
    }

    [Fact]
    public async Task ClaimActivities_ExceptNothing_ClaimsEveryName()
    {
        await ScheduleActivitiesAsync("except-nothing", "Work", Remote);

        var claimed = await Store.ClaimActivitiesAsync("w1", 10, LongLease, ActivityNameFilter.Except([]));

        Assert.Equal(["Work", Remote], claimed.Select(w => w.Name));
    }

    [Fact]
    public async Task GetActivity_LeasedRow_ReturnsTheClaimWithItsTokenAndNothingOtherwise()
    {
        await ScheduleActivitiesAsync("get", Remote);
        var queued = Assert.Single(await Store.ListActivitiesAsync(Remote, 10));
        Assert.Null(await Store.GetActivityAsync(queued.Id));

        var work = Assert.Single(await Store.ClaimActivitiesAsync("runner", 10, LongLease, ActivityNameFilter.Only([Remote])));

        Assert.Equal(work, await Store.GetActivityAsync(work.Id));
        Assert.Equal(("get", 0, "\"Remote-0\"", "runner"), (work.InstanceId, work.TaskId, work.Input, work.LockedBy));
        Assert.True(work.LeaseExpiresAt > UtcNow + LongLease / 2);
        Assert.Null(await Store.GetActivityAsync(work.Id + 1000));
        Assert.True(await Store.CompleteActivityAsync(work, TaskCompleted(0, "\"done\"")));
        Assert.Null(await Store.GetActivityAsync(work.Id));
    }

    [Fact]
    public async Task ListActivities_QueuedAndLeasedRows_OldestFirstWithHolderAndExpiry()
    {
        await ScheduleActivitiesAsync("list", Remote, "Work", Remote, Remote);
        var leased = Assert.Single(await Store.ClaimActivitiesAsync("runner", 1, LongLease, ActivityNameFilter.Only([Remote])));

        var rows = await Store.ListActivitiesAsync(Remote, 10);

        Assert.Equal([0, 2, 3], rows.Select(r => r.TaskId));
        Assert.Equal(rows.OrderBy(r => r.Id), rows);
        Assert.Equal(new ActivityLease("runner", leased.LeaseExpiresAt), rows[0].Lease);
        Assert.Equal((1, leased.LeaseExpiresAt), (rows[0].DequeueCount, rows[0].VisibleAt));
        Assert.All(rows.Skip(1), r => Assert.Equal(((ActivityLease?)null, 0), (r.Lease, r.DequeueCount)));
        Assert.Equal([0, 2], (await Store.ListActivitiesAsync(Remote, 2)).Select(r => r.TaskId));
        Assert.Equal("\"Work-1\"", Assert.Single(await Store.ListActivitiesAsync("Work", 10)).Input);
        Assert.Empty(await Store.ListActivitiesAsync("remote", 10)); // names match exactly
    }

    [Fact]
    public async Task RebuiltWorkItem_RenewAndComplete_AreFencedByTheRunnersTokenAcrossALapsedLease()
    {
        var scheduled = await ScheduleActivitiesAsync("rebuilt", Remote);
        var only = ActivityNameFilter.Only([Remote]);
        var first = Assert.Single(await Store.ClaimActivitiesAsync("runner-1", 10, ShortLease, only));

        // The host gets the id and token back from a heartbeat and rebuilds the work item from the store.
        var rebuilt = (await Store.GetActivityAsync(first.Id))! with { LockToken = first.LockToken };
        Assert.True(await Store.RenewActivityLeaseAsync(rebuilt, ShortLease));
        Assert.Empty(await Store.ClaimActivitiesAsync("runner-2", 10, LongLease, only));

        // runner-1 stops heartbeating: its lease lapses and the row is offered again, one delivery more.
        await Task.Delay(PastShortLease);
        var second = Assert.Single(await Store.ClaimActivitiesAsync("runner-2", 10, LongLease, only));
        Assert.Equal((first.Id, 2, "runner-2"), (second.Id, second.DequeueCount, second.LockedBy));

        var current = await Store.GetActivityAsync(first.Id);
        var stale = current! with { LockToken = first.LockToken };
        Assert.False(await Store.RenewActivityLeaseAsync(stale, LongLease));
        Assert.False(await Store.CompleteActivityAsync(stale, TaskCompleted(0, "\"stale\"")));
        Assert.Equal(second, current);
        Assert.True(await Store.CompleteActivityAsync(current, TaskCompleted(0, "\"fresh\"")));

        var delivered = (await ClaimOnlyAsync("rebuilt")).Messages.Single();
        Assert.Equal((HistoryEventType.TaskCompleted, 0, "\"fresh\"", scheduled.Instance.ExecutionId),
            (delivered.Event.Type, delivered.Event.TaskId, delivered.Event.Data, delivered.ExecutionId));
    }

    [Fact]
    public async Task GetNextWakeUp_RowNobodyClaims_IsNotAWakeUpButALeaseExpiryIs()
    {
        await ScheduleActivitiesAsync("wake", Remote);

        // A queued row is visible now: reporting it would make a worker that may not claim it wake at once, forever.
        Assert.Null(await Store.GetNextWakeUpAsync(WorkQueue.Activities));

        var work = Assert.Single(await Store.ClaimActivitiesAsync("runner", 10, LongLease, ActivityNameFilter.Only([Remote])));
        Assert.Equal(work.LeaseExpiresAt, await Store.GetNextWakeUpAsync(WorkQueue.Activities));
    }
}
