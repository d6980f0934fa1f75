using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using Baton.Durable.Storage;
using Baton.Durable.Tests;
using FailureClass = Baton.Failures.FailureClass;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AlreadyExists = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;
using RuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

namespace Baton.ProviderTests;

/// <summary>
/// Orchestrations written on Microsoft's Durable Task SDK, replayed by DTFx, stored by Baton's provider: the semantics
/// the issue lists (timers, events raised before the wait, sub-orchestrations, continue-as-new carrying events, retries,
/// suspend/resume/terminate, purge, failure details, large payloads), on each database.
/// </summary>
public abstract class SdkProviderTests : IAsyncLifetime
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    IHost? host;

    /// <summary>Registers the storage provider under test (a fresh, empty store) with the host's services.</summary>
    protected abstract Task AddStorageAsync(IServiceCollection services);

    protected DurableTaskClient Client => host!.Services.GetRequiredService<DurableTaskClient>();

    protected IServiceProvider Services => host!.Services;

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        await AddStorageAsync(builder.Services);
        builder.Services.AddSingleton<IExceptionPropertiesProvider, QuotaProperties>();
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(SdkSamples.Register);
            b.UseOrchestrationService();
        });
        builder.Services.AddDurableTaskClient(b => b.UseOrchestrationService());
        host = builder.Build();
        await host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (host is null) return;
        await host.StopAsync();
        host.Dispose();
    }

    protected async Task<OrchestrationMetadata> CompletionAsync(string instanceId)
    {
        using var timeout = new CancellationTokenSource(Bound);
        return await Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, timeout.Token);
    }

    /// <summary>Polls the instance until <paramref name="condition"/> holds, failing after the bound.</summary>
    async Task<OrchestrationMetadata> WaitForAsync(string instanceId, Func<OrchestrationMetadata, bool> condition)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            var metadata = await Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
            if (metadata is not null && condition(metadata)) return metadata;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{instanceId} is {metadata?.RuntimeStatus.ToString() ?? "missing"}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_sequence_of_activities_completes_with_their_results()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "Ada", "Grace", "Edsger" });

        var done = await CompletionAsync(id);

        Assert.Equal(RuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello, Ada!", "Hello, Grace!", "Hello, Edsger!"], done.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task A_fan_out_of_a_hundred_activities_fans_back_in()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("FanOut", 100);

        var done = await CompletionAsync(id);

        Assert.Equal(Enumerable.Range(1, 100).Sum(i => i * i), done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task An_event_raised_before_the_orchestration_waits_for_it_is_kept_and_a_timer_fires()
    {
        // The instance starts a second from now, so the event arrives before it runs at all.
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval", null,
            new StartOrchestrationOptions { StartAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        await Client.RaiseEventAsync(id, "approval", "ada");

        var done = await CompletionAsync(id);

        Assert.Equal("approved by ada", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_sub_orchestration_knows_its_parent_and_a_failing_one_reports_why()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Parent", "42");

        var done = await CompletionAsync(id);

        Assert.Equal(RuntimeStatus.Completed, done.RuntimeStatus);
        var output = done.ReadOutputAs<string>();
        Assert.StartsWith($"child of {id} got 42; child failed: ", output);
        Assert.Contains("bad input 42", output);
        Assert.Equal(RuntimeStatus.Completed, (await Client.GetInstanceAsync(id + ":child"))!.RuntimeStatus);
    }

    [Fact]
    public async Task Continue_as_new_carries_events_that_arrived_meanwhile_into_the_next_execution()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("Counter", 0);
        foreach (var add in new[] { 1, 2, 3, -1 }) await Client.RaiseEventAsync(id, "add", add);

        var done = await CompletionAsync(id);

        Assert.Equal(6, done.ReadOutputAs<int>());
    }

    [Fact]
    public async Task A_failing_activity_is_retried_by_its_policy_until_it_succeeds()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("RetryingActivity", key);

        var done = await CompletionAsync(id);

        Assert.Equal("succeeded on attempt 3", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_failed_orchestration_reports_the_exception_type_and_message()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("FailingChild", "7");

        var done = await CompletionAsync(id);

        Assert.Equal(RuntimeStatus.Failed, done.RuntimeStatus);
        var failure = Assert.IsType<TaskFailureDetails>(done.FailureDetails);
        Assert.Equal(typeof(TaskFailedException).FullName, failure.ErrorType);
        var cause = Assert.IsType<TaskFailureDetails>(failure.InnerFailure);
        Assert.Equal(typeof(ArgumentException).FullName, cause.ErrorType);
        Assert.Equal("bad input 7", cause.ErrorMessage);
    }

    [Fact]
    public async Task Properties_the_app_attaches_to_an_activitys_exception_reach_the_orchestration()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("CallRateLimited", 30);

        var done = await CompletionAsync(id);

        Assert.Equal($"{typeof(QuotaException).FullName} retry after 30 s (RateLimited)", done.ReadOutputAs<string>());
    }

    [Theory]
    [InlineData(FailureClass.Transient, 2, "succeeded on attempt 3")]
    [InlineData(FailureClass.AuthFailed, 5, "gave up: AuthFailed")]
    [InlineData(FailureClass.Permanent, 5, "gave up: Permanent")]
    [InlineData(FailureClass.Transient, 5, "gave up: Transient")]
    public async Task Activity_failures_are_retried_by_their_class(FailureClass failureClass, int failures, string expected)
    {
        var step = new FlakyStep(Guid.NewGuid().ToString("N"), failureClass, failures);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("CallClassified", step);

        var done = await CompletionAsync(id);

        Assert.Equal(expected, done.ReadOutputAs<string>());
        var attempts = failureClass is FailureClass.AuthFailed or FailureClass.Permanent ? 1 : Math.Min(failures + 1, 4);
        Assert.Equal(attempts, SdkSamples.AttemptTimes[step.Key].Count);
    }

    [Fact]
    public async Task A_suspended_instance_holds_its_events_until_it_is_resumed()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval");
        await WaitForAsync(id, m => m.ReadCustomStatusAs<string>() == "waiting");

        await Client.SuspendInstanceAsync(id, "hold on");
        await WaitForAsync(id, m => m.RuntimeStatus == RuntimeStatus.Suspended);
        await Client.RaiseEventAsync(id, "approval", "grace");

        await Client.ResumeInstanceAsync(id, "go on");
        var done = await CompletionAsync(id);

        Assert.Equal("approved by grace", done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_recursive_terminate_ends_the_instance_and_its_sub_orchestrations()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForever");
        await WaitForAsync(id + ":child", m => m.ReadCustomStatusAs<string>() == "waiting");

        await Client.TerminateInstanceAsync(id, new TerminateInstanceOptions("stopped", Recursive: true));

        Assert.Equal(RuntimeStatus.Terminated, (await CompletionAsync(id)).RuntimeStatus);
        Assert.Equal(RuntimeStatus.Terminated, (await CompletionAsync(id + ":child")).RuntimeStatus);
    }

    [Fact]
    public async Task Purge_removes_a_finished_instance_and_leaves_a_running_one()
    {
        var finished = await Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "Ada" });
        await CompletionAsync(finished);
        var running = await Client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval");
        await WaitForAsync(running, m => m.RuntimeStatus == RuntimeStatus.Running);

        Assert.Equal(1, (await Client.PurgeInstanceAsync(finished)).PurgedInstanceCount);
        Assert.Equal(0, (await Client.PurgeInstanceAsync(running)).PurgedInstanceCount);

        Assert.Null(await Client.GetInstanceAsync(finished));
        Assert.NotNull(await Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task An_activity_that_outlives_many_leases_keeps_its_lease_and_runs_once()
    {
        var key = Guid.NewGuid().ToString("N");
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("CallSlow", key);

        var done = await CompletionAsync(id);

        Assert.Equal("slow and steady", done.ReadOutputAs<string>());
        Assert.Equal(1, SdkSamples.Attempts[key]);
    }

    [Fact]
    public async Task A_megabyte_input_and_output_survive_the_round_trip()
    {
        var payload = new string('x', 1024 * 1024);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("EchoLarge", payload);

        var done = await CompletionAsync(id);

        Assert.Equal(payload, done.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Starting_a_live_instance_id_again_is_refused_and_a_finished_one_is_replaced()
    {
        var id = Guid.NewGuid().ToString("N");
        await Client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval", null, new StartOrchestrationOptions(id));
        await Assert.ThrowsAsync<AlreadyExists>(() =>
            Client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval", null, new StartOrchestrationOptions(id)));

        await Client.TerminateInstanceAsync(id, "done with it");
        await CompletionAsync(id);
        await Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "again" }, new StartOrchestrationOptions(id));

        Assert.Equal(["Hello, again!"], (await CompletionAsync(id)).ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task Queries_page_through_instances_by_status()
    {
        var prefix = Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 5; i++)
            await CompletionAsync(await Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "q" },
                new StartOrchestrationOptions($"{prefix}-{i}")));

        var found = new List<string>();
        await foreach (var page in Client.GetAllInstancesAsync(new OrchestrationQuery(
                           Statuses: [RuntimeStatus.Completed], InstanceIdPrefix: prefix, PageSize: 2)).AsPages())
        {
            Assert.True(page.Values.Count <= 2);
            found.AddRange(page.Values.Select(m => m.InstanceId));
        }

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"{prefix}-{i}").Order(), found.Order());
    }
}

/// <summary>The suite on one of Baton's own databases.</summary>
public abstract class BatonSdkProviderTests : SdkProviderTests
{
    protected abstract string Provider { get; }
    protected abstract Task<string> NewDatabaseAsync();

    protected override async Task AddStorageAsync(IServiceCollection services)
    {
        var options = new DurableOptions
        {
            Provider = Provider,
            ConnectionString = await NewDatabaseAsync(),
            MaxPollingInterval = TimeSpan.FromMilliseconds(100),
            // Leases far shorter than the slow activity: only the heartbeat (a beat a second) keeps them.
            OrchestrationLeaseTtl = TimeSpan.FromSeconds(3),
            ActivityLeaseTtl = TimeSpan.FromSeconds(3),
        };
        options.RemoteActivities.Add(SdkSamples.RemoteJob);
        // The store is the host's (a remote claimer shares it), so the provider is built over it.
        services.AddSingleton(sp => DurableStoreFactory.Create(options, sp.GetRequiredService<ILoggerFactory>()));
        services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(), options,
            sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
    }

    [Fact]
    public async Task A_remote_activity_is_left_to_its_external_claimer_whose_result_completes_the_orchestration()
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("CallRemoteJob", "build");
        var store = Services.GetRequiredService<IDurableStore>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((await store.ListActivitiesAsync(SdkSamples.RemoteJob, 10, timeout.Token)).Count == 0)
            await Task.Delay(20, timeout.Token);

        // The worker never claimed it: this is its first delivery (a claim by the worker would also have failed it as
        // an unknown activity, and failed the orchestration).
        var work = Assert.Single(await store.ClaimActivitiesAsync("runner", 10, TimeSpan.FromSeconds(30),
            ActivityNameFilter.Only([SdkSamples.RemoteJob]), timeout.Token));
        Assert.Equal((id, 1), (work.InstanceId, work.DequeueCount));
        Assert.True(await store.CompleteActivityAsync(work, new Baton.Durable.History.HistoryEvent(
            Baton.Durable.History.HistoryEventType.TaskCompleted, DateTime.UtcNow) { TaskId = work.TaskId, Data = "\"built remotely\"" }));

        var done = await CompletionAsync(id);
        Assert.Equal((RuntimeStatus.Completed, "build: built remotely"), (done.RuntimeStatus, done.ReadOutputAs<string>()));
    }

    /// <remarks>On Baton's providers only: on Azure Storage/Azurite one CI run saw the retry 1.07 s after the first
    /// attempt (its timers and queue polling were not investigated; see the session 6 note).</remarks>
    [Fact]
    public async Task A_rate_limited_activity_is_not_retried_before_its_retry_after()
    {
        var step = new FlakyStep(Guid.NewGuid().ToString("N"), FailureClass.RateLimited, Failures: 1, RetryAfterMs: 1500);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("CallClassified", step);

        Assert.Equal("succeeded on attempt 2", (await CompletionAsync(id)).ReadOutputAs<string>());

        var times = SdkSamples.AttemptTimes[step.Key].ToArray();
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(1500), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_start_and_an_event_with_an_idempotency_key_each_happen_once()
    {
        var client = Assert.IsType<BatonDurableTaskClient>(Client);
        var key = "start-" + Guid.NewGuid().ToString("N");

        var first = await client.StartOrchestrationOnceAsync("WaitForApproval", null, null, key);
        var again = await client.StartOrchestrationOnceAsync("WaitForApproval", null, null, key);
        var raised = await client.RaiseEventOnceAsync(first, "approval", "ada", "approval-1");
        var repeated = await client.RaiseEventOnceAsync(first, "approval", "grace", "approval-1");

        Assert.True(client.SupportsIdempotencyKeys);
        Assert.Equal(first, again);
        Assert.Equal(EnqueueOutcome.Enqueued, raised.Outcome);
        Assert.Equal(EnqueueOutcome.Duplicate, repeated.Outcome);
        Assert.Equal("approved by ada", (await CompletionAsync(first)).ReadOutputAs<string>());
    }

    [Fact]
    public async Task A_keyed_event_for_a_finished_or_unknown_instance_is_not_delivered_and_says_why()
    {
        var client = Assert.IsType<BatonDurableTaskClient>(Client);
        var id = await Client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "Ada" });
        await CompletionAsync(id);

        var late = await client.RaiseEventOnceAsync(id, "approval", "ada", "late-1");
        var unknown = await client.RaiseEventOnceAsync("missing-" + Guid.NewGuid().ToString("N"), "approval", "ada", "unknown-1");

        Assert.Equal(EnqueueOutcome.Terminal, late.Outcome);
        Assert.Equal(Baton.Durable.OrchestrationRuntimeStatus.Completed, late.Status);
        Assert.Equal(EnqueueOutcome.NotFound, unknown.Outcome);
    }
}

public sealed class SqliteSdkProviderTests : BatonSdkProviderTests
{
    protected override string Provider => "Sqlite";
    protected override Task<string> NewDatabaseAsync() => TempSqlite.NewDatabaseAsync();
}

public sealed class PostgresSdkProviderTests : BatonSdkProviderTests
{
    protected override string Provider => "Postgres";
    protected override Task<string> NewDatabaseAsync() => SharedPostgres.NewDatabaseAsync();
}

/// <summary>The public factory: one object that is both DTFx's orchestration service and its client, for any DTFx host.</summary>
public sealed class ProviderFactoryTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task Create_builds_a_provider_that_is_both_the_service_and_the_client(string provider)
    {
        var database = provider == "Sqlite" ? await TempSqlite.NewDatabaseAsync() : await SharedPostgres.NewDatabaseAsync();
        await using var service = BatonOrchestrationService.Create(provider, database);
        DurableTask.Core.IOrchestrationService worker = service;
        DurableTask.Core.IOrchestrationServiceClient client = service;

        await worker.CreateIfNotExistsAsync();
        var instance = new DurableTask.Core.OrchestrationInstance { InstanceId = "factory", ExecutionId = "e1" };
        var started = new DurableTask.Core.History.ExecutionStartedEvent(-1, "\"x\"") { Name = "Any", OrchestrationInstance = instance };
        await client.CreateTaskOrchestrationAsync(new DurableTask.Core.TaskMessage { Event = started, OrchestrationInstance = instance });

        var state = Assert.Single(await client.GetOrchestrationStateAsync("factory", allExecutions: false));
        Assert.Equal(("Any", DurableTask.Core.OrchestrationStatus.Pending), (state.Name, state.OrchestrationStatus));
    }

    [Fact]
    public void Create_refuses_an_unknown_provider_name() =>
        Assert.Contains("Oracle", Assert.Throws<InvalidOperationException>(() => BatonOrchestrationService.Create("Oracle", "whatever")).Message);
}
