using Baton.Durable.History;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Baton.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Durable.Tests.Engine;

/// <summary>
/// Remote activities end to end: the local worker leaves them in the queue (without spinning on them) and an external
/// claimer — here the test itself, as a host's runner service would — claims, heartbeats and completes them.
/// </summary>
public abstract class RemoteActivityTests
{
    protected abstract string Provider { get; }
    protected abstract Task<string> NewDatabaseAsync();

    // An idle dispatcher claims about 8 times in this window (its poll interval doubles from 10 ms to 1 s, and a lease
    // expiry wakes it once); one that spun on a row it may not claim would claim thousands of times.
    static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    const int MaxClaimsPerWindow = 30;
    static readonly TimeSpan RunnerLease = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_remote_activity_is_left_to_its_external_claimer_and_its_result_completes_the_orchestration()
    {
        CountingStore counting = null!;
        await using var engine = await EngineHost.StartAsync(Provider, await NewDatabaseAsync(),
            r => r.AddOrchestrator<CallsRemoteJob>().AddActivity<Echo>().AddRemoteActivity(CallsRemoteJob.RemoteJob),
            decorateStore: store => (counting = CountingStore.Wrap(store)).Store);
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(CallsRemoteJob), "build");

        var queued = await WaitForQueuedRowAsync(engine.Store);
        var claims = ClaimCount(counting);
        await Task.Delay(Window);

        // The local worker did not run it, did not even lease it (first delivery still to come), and did not spin.
        Assert.Equal(queued, Assert.Single(await engine.Store.ListActivitiesAsync(CallsRemoteJob.RemoteJob, 10)));
        Assert.InRange(ClaimCount(counting) - claims, 0, MaxClaimsPerWindow);

        var work = Assert.Single(await engine.Store.ClaimActivitiesAsync("runner-1", 10, RunnerLease,
            ActivityNameFilter.Only([CallsRemoteJob.RemoteJob])));
        Assert.Equal((id, "\"echo build\"", 1), (work.InstanceId, work.Input, work.DequeueCount));
        claims = ClaimCount(counting);
        await HeartbeatAsync(engine.Store, work, Window);
        Assert.InRange(ClaimCount(counting) - claims, 0, MaxClaimsPerWindow);

        var result = new HistoryEvent(HistoryEventType.TaskCompleted, DateTime.UtcNow)
        {
            TaskId = work.TaskId,
            Data = DurableJson.Serialize("built by runner-1"),
        };
        Assert.True(await engine.Store.CompleteActivityAsync(work, result));
        // A host completing in-process pulses the orchestration dispatcher, as the local worker does (else: next poll).
        engine.Services.GetRequiredService<WorkSignals>().Orchestrations.Set();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var final = await engine.Client.WaitForInstanceCompletionAsync(id, cancellationToken: timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, final.RuntimeStatus);
        Assert.Equal("built by runner-1", final.ReadOutputAs<string>());
    }

    [Fact]
    public async Task An_activity_registered_nowhere_still_fails_as_not_registered_when_remote_activities_exist()
    {
        await using var engine = await EngineHost.StartAsync(Provider, await NewDatabaseAsync(),
            r => r.AddOrchestrator<CallsUnknownActivity>().AddRemoteActivity(CallsRemoteJob.RemoteJob));

        var final = await engine.RunAsync(nameof(CallsUnknownActivity), "x", timeout: TimeSpan.FromSeconds(30));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, final.RuntimeStatus);
        // The activity's failure reaches the orchestration inside the TaskFailedException it threw.
        Assert.Contains("ActivityNotRegistered", final.FailureDetails!.ErrorMessage);
    }

    static int ClaimCount(CountingStore counting) => counting.Calls(nameof(IDurableStore.ClaimActivitiesAsync));

    static async Task<ActivityRecord> WaitForQueuedRowAsync(IDurableStore store)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (await store.ListActivitiesAsync(CallsRemoteJob.RemoteJob, 10, timeout.Token) is [var row]) return row;
            await Task.Delay(20, timeout.Token);
        }
    }

    /// <summary>Renews the lease every quarter lease, as a runner's heartbeats would, for <paramref name="duration"/>.</summary>
    static async Task HeartbeatAsync(IDurableStore store, ActivityWorkItem work, TimeSpan duration)
    {
        var until = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < until)
        {
            Assert.True(await store.RenewActivityLeaseAsync(work, RunnerLease));
            await Task.Delay(RunnerLease / 4);
        }
    }
}

/// <summary>Runs a local step, then hands its result to a remote job and returns what the job reports.</summary>
sealed class CallsRemoteJob : TaskOrchestrator<string, string>
{
    public const string RemoteJob = "RunRemoteJob";

    public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
    {
        var prepared = await context.CallActivityAsync<string>(nameof(Echo), $"echo {input}");
        return await context.CallActivityAsync<string>(RemoteJob, prepared);
    }
}

sealed class CallsUnknownActivity : TaskOrchestrator<string, string>
{
    public override Task<string> RunAsync(TaskOrchestrationContext context, string input) =>
        context.CallActivityAsync<string>("NoSuchActivity", input);
}
