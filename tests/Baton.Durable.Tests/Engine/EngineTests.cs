using Baton.Durable.Storage;
using Baton.Durable.History;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Durable.Tests.Engine;

/// <summary>
/// End-to-end behaviour of the engine — client, worker, replay and a real store — run once per provider.
/// </summary>
public abstract class EngineTests
{
    protected abstract string Provider { get; }
    protected abstract Task<string> NewDatabaseAsync();

    readonly FlakyScript flaky = new();
    readonly AttemptLog attempts = new();

    Task<EngineHost> StartAsync(string database, IDictionary<string, string?>? settings = null) =>
        EngineHost.StartAsync(Provider, database, r => r
                .AddOrchestrator<Chain>().AddOrchestrator<RetriesFlaky>().AddOrchestrator<TimesOut>()
                .AddOrchestrator<EventTally>().AddOrchestrator<WaitsForApproval>().AddOrchestrator<Parent>()
                .AddOrchestrator<ParentOfWaiter>().AddOrchestrator<Sleeper>().AddOrchestrator<CallsRecorder>().AddOrchestrator<LongStep>()
                .AddActivity<Echo>().AddActivity<FlakyStep>().AddActivity<SlowStep>().AddActivity<RecordsAttempts>(),
            settings, services => services.AddSingleton(flaky).AddSingleton(attempts));

    async Task<EngineHost> StartAsync() => await StartAsync(await NewDatabaseAsync());

    [Fact]
    public async Task A_chain_of_activities_completes_with_every_result()
    {
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(Chain), 5);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, final.RuntimeStatus);
        Assert.Equal(["step-0", "step-1", "step-2", "step-3", "step-4"], final.ReadOutputAs<List<string>>());
        Assert.NotNull(final.CompletedAt);
    }

    [Fact]
    public async Task Transient_failures_are_retried_durably_with_timers_between_attempts()
    {
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(RetriesFlaky), "payment");

        Assert.Equal("payment after 3 calls", final.ReadOutputAs<string>());
        var history = await engine.Client.GetHistoryAsync(final.InstanceId);
        Assert.Equal(3, history.Count(e => e.Type == HistoryEventType.TaskScheduled));
        Assert.Equal(2, history.Count(e => e.Type == HistoryEventType.TimerFired));
    }

    [Fact]
    public async Task Auth_failures_fail_the_orchestration_without_a_retry()
    {
        flaky.FailureClass = FailureClass.AuthFailed;
        flaky.Failures = 100;
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(RetriesFlaky), "token");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, final.RuntimeStatus);
        Assert.Equal(FailureClass.AuthFailed, final.FailureDetails!.FailureClass);
        Assert.Equal(1, flaky.Calls["token"]);
    }

    [Fact]
    public async Task An_activity_past_its_timeout_is_cancelled_and_fails_with_the_timeout_class()
    {
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(TimesOut), 10_000);

        Assert.Equal("timed out", final.ReadOutputAs<string>());
    }

    [Fact]
    public async Task External_events_resume_a_waiting_orchestration_and_custom_status_is_visible()
    {
        await using var engine = await StartAsync();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "deploy");
        await WaitUntilAsync(engine, id, m => m.SerializedCustomStatus?.Contains("waiting") == true);

        await engine.Client.RaiseEventAsync(id, "Approval", "yes");
        var final = await engine.Client.WaitForInstanceCompletionAsync(id);

        Assert.Equal("deploy:yes", final.ReadOutputAs<string>());
        Assert.Contains("done", final.SerializedCustomStatus);
    }

    [Fact]
    public async Task No_event_is_lost_across_continue_as_new_under_concurrent_raises()
    {
        await using var engine = await StartAsync();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EventTally), 0);
        const int perSender = 50, senders = 4;

        await Task.WhenAll(Enumerable.Range(0, senders).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perSender; i++) await engine.Client.RaiseEventAsync(id, "Add", 1);
        })));
        await engine.Client.RaiseEventAsync(id, "Add", -1);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var final = await engine.Client.WaitForInstanceCompletionAsync(id, cancellationToken: cts.Token);

        Assert.Equal(perSender * senders, final.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Idempotent_raises_are_applied_once()
    {
        await using var engine = await StartAsync();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EventTally), 0);

        for (var i = 0; i < 3; i++) await engine.Client.RaiseEventAsync(id, "Add", 5, idempotencyKey: "delivery-1");
        await engine.Client.RaiseEventAsync(id, "Add", 1, idempotencyKey: "delivery-2");
        await engine.Client.RaiseEventAsync(id, "Add", -1);
        var final = await engine.Client.WaitForInstanceCompletionAsync(id);

        Assert.Equal(6, final.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Sub_orchestrations_run_and_report_back_to_their_parent()
    {
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(Parent), 3);

        Assert.Equal(6, final.ReadOutputAs<int>());
        var children = await engine.Client.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "" , PageSize = 100 });
        Assert.Equal(3, children.Instances.Count(i => i.Parent?.InstanceId == final.InstanceId));
    }

    [Fact]
    public async Task Recursive_terminate_ends_the_children_too()
    {
        await using var engine = await StartAsync();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ParentOfWaiter), "x");
        await WaitUntilAsync(engine, $"{id}-child", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await engine.Client.TerminateInstanceAsync(id, "cancelled by test", recursive: true);

        var parent = await engine.Client.WaitForInstanceCompletionAsync(id);
        var child = await engine.Client.WaitForInstanceCompletionAsync($"{id}-child");
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, parent.RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, child.RuntimeStatus);
        Assert.Equal("cancelled by test", parent.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_suspended_instance_keeps_events_and_finishes_after_resume()
    {
        await using var engine = await StartAsync();
        var id = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "job");
        await WaitUntilAsync(engine, id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Running);

        await engine.Client.SuspendInstanceAsync(id, "maintenance");
        await WaitUntilAsync(engine, id, m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
        await engine.Client.RaiseEventAsync(id, "Approval", "later");
        await Task.Delay(300);
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, (await engine.Client.GetInstanceAsync(id))!.RuntimeStatus);

        await engine.Client.ResumeInstanceAsync(id);
        var final = await engine.Client.WaitForInstanceCompletionAsync(id);
        Assert.Equal("job:later", final.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Durable_timers_fire_when_due()
    {
        await using var engine = await StartAsync();
        var before = DateTime.UtcNow;

        var final = await engine.RunAsync(nameof(Sleeper), 700);

        Assert.True(final.ReadOutputAs<DateTime>() >= before.AddMilliseconds(650), "the orchestration resumed before its timer was due");
    }

    [Fact]
    public async Task Starting_an_id_that_is_running_conflicts_and_a_finished_one_can_be_restarted()
    {
        await using var engine = await StartAsync();
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "a", new StartOrchestrationOptions { InstanceId = "singleton" });

        await Assert.ThrowsAsync<OrchestrationAlreadyExistsException>(() =>
            engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "b", new StartOrchestrationOptions { InstanceId = "singleton" }));

        await engine.Client.TerminateInstanceAsync("singleton");
        await engine.Client.WaitForInstanceCompletionAsync("singleton");
        await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(Chain), 1, new StartOrchestrationOptions { InstanceId = "singleton" });
        var second = await engine.Client.WaitForInstanceCompletionAsync("singleton");
        Assert.Equal(["step-0"], second.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task Raising_to_a_missing_or_finished_instance_is_refused()
    {
        await using var engine = await StartAsync();
        await Assert.ThrowsAsync<InstanceNotFoundException>(() => engine.Client.RaiseEventAsync("nobody", "Approval", "x"));

        var done = await engine.RunAsync(nameof(Chain), 1);
        await Assert.ThrowsAsync<InstanceTerminalException>(() => engine.Client.RaiseEventAsync(done.InstanceId, "Approval", "x"));
    }

    [Fact]
    public async Task Activities_see_their_attempt_number_and_a_stable_idempotency_key()
    {
        await using var engine = await StartAsync();

        var final = await engine.RunAsync(nameof(CallsRecorder), "x", instanceId: "recorded");

        var (key, attempt) = Assert.Single(attempts.Entries);
        Assert.Equal(1, attempt);
        Assert.StartsWith("recorded:", key);
        Assert.EndsWith(":0", key);
        Assert.Equal(key, final.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Purge_removes_a_finished_instance_and_refuses_a_running_one()
    {
        await using var engine = await StartAsync();
        var done = await engine.RunAsync(nameof(Chain), 1);
        var running = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "x");

        Assert.Equal(PurgeOutcome.Purged, await engine.Client.PurgeInstanceAsync(done.InstanceId));
        Assert.Null(await engine.Client.GetInstanceAsync(done.InstanceId));
        Assert.Equal(PurgeOutcome.NotTerminal, await engine.Client.PurgeInstanceAsync(running));
    }

    [Fact]
    public async Task Stopping_a_host_releases_its_leases_so_the_next_host_resumes_at_once()
    {
        var database = await NewDatabaseAsync();
        string id;
        var quickShutdown = new Dictionary<string, string?> { ["Durable:ShutdownGracePeriod"] = "00:00:00.100" };
        await using (var first = await StartAsync(database, quickShutdown))
        {
            id = await first.Client.ScheduleNewOrchestrationInstanceAsync(nameof(LongStep), 60_000);
            // Stop only once this host has taken the one-minute activity (under a 5-minute lease): a fixed pause can end
            // before a loaded machine got that far, and the next host would then run attempt 1.
            using var started = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (!(await first.Store.ListActivitiesAsync(nameof(SlowStep), 10, started.Token)).Any(a => a.Lease is not null))
                await Task.Delay(25, started.Token);
        }

        await using var second = await StartAsync(database);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var final = await second.Client.WaitForInstanceCompletionAsync(id, cancellationToken: cts.Token);
        Assert.Equal("finished on attempt 2", final.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Retention_purges_finished_instances_past_their_age_and_keeps_running_ones()
    {
        await using var engine = await StartAsync(await NewDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Durable:Retention:Enabled"] = "true",
            ["Durable:Retention:Interval"] = "00:00:00.300",
            ["Durable:Retention:Completed"] = "00:00:00.200",
        });
        var done = await engine.RunAsync(nameof(Chain), 1);
        var running = await engine.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitsForApproval), "x");

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (await engine.Client.GetInstanceAsync(done.InstanceId, cancellationToken: cts.Token) is not null)
            await Task.Delay(100, cts.Token);

        Assert.NotNull(await engine.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task An_oversized_activity_input_fails_the_call_with_a_clear_reason()
    {
        await using var engine = await StartAsync(await NewDatabaseAsync(), new Dictionary<string, string?> { ["Durable:Limits:MaxPayloadBytes"] = "1000" });

        var final = await engine.RunAsync(nameof(RetriesFlaky), new string('x', 2000));

        Assert.Equal(OrchestrationRuntimeStatus.Failed, final.RuntimeStatus);
        Assert.Contains("larger than the limit of 1000 bytes", final.FailureDetails!.ErrorMessage);
        Assert.Empty(flaky.Calls);
    }

    [Fact]
    public async Task A_history_past_its_limit_fails_the_instance_instead_of_growing_forever()
    {
        await using var engine = await StartAsync(await NewDatabaseAsync(), new Dictionary<string, string?> { ["Durable:Limits:MaxHistoryEvents"] = "12" });

        var final = await engine.RunAsync(nameof(Chain), 20);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, final.RuntimeStatus);
        Assert.Equal("HistoryLimitExceeded", final.FailureDetails!.ErrorType);
    }

    [Fact]
    public async Task A_code_change_under_a_running_instance_suspends_it_until_the_right_code_resumes_it()
    {
        var database = await NewDatabaseAsync();
        Task<EngineHost> Deploy(bool v2, IDictionary<string, string?>? settings = null) =>
            EngineHost.StartAsync(Provider, database, r => r.AddOrchestrator("Checkout", _ => new Checkout(v2)).AddActivity<Echo>(), settings);

        await using (var v1 = await Deploy(v2: false))
        {
            await v1.Client.ScheduleNewOrchestrationInstanceAsync("Checkout", "order-9", new StartOrchestrationOptions { InstanceId = "order-9" });
            // v1 has charged once the first activity result is in history; it then waits for "Ship".
            while (!(await v1.Client.GetHistoryAsync("order-9")).Any(e => e.Type == HistoryEventType.TaskCompleted))
                await Task.Delay(25);
        }

        await using (var broken = await Deploy(v2: true, new Dictionary<string, string?> { ["Durable:NonDeterminismPolicy"] = "Suspend" }))
        {
            await broken.Client.RaiseEventAsync("order-9", "Ship", "now");
            var suspended = await WaitUntilAsync(broken, "order-9", m => m.RuntimeStatus == OrchestrationRuntimeStatus.Suspended);
            Assert.Contains("Step #0: history recorded TaskScheduled 'Echo', the current code does TimerCreated", suspended.FailureDetails!.ErrorMessage);
            Assert.Contains(nameof(NonDeterministicOrchestrationException), suspended.FailureDetails.ErrorType);
        }

        await using var fixedDeploy = await Deploy(v2: false);
        await fixedDeploy.Client.ResumeInstanceAsync("order-9", "deployed the right version");
        var final = await fixedDeploy.Client.WaitForInstanceCompletionAsync("order-9");
        Assert.Equal("order-9:charge:now", final.ReadOutputAs<string>());
    }

    static async Task<OrchestrationMetadata> WaitUntilAsync(EngineHost engine, string id, Func<OrchestrationMetadata, bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var metadata = await engine.Client.GetInstanceAsync(id, getInputsAndOutputs: true, cts.Token);
            if (metadata is not null && condition(metadata)) return metadata;
            await Task.Delay(25, cts.Token);
        }
    }
}
