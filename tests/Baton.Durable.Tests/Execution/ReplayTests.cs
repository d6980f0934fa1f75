using Baton.Durable.Execution;
using Baton.Durable.History;
using Baton.Durable.Serialization;

namespace Baton.Durable.Tests.Execution;

/// <summary>
/// Golden-history tests: the exact sequence of events each engine helper writes is part of the replay
/// contract (changing it breaks in-flight instances), so it is frozen here.
/// </summary>
public sealed class ReplayTests
{
    static HistoryEvent Fail(FailureClass failureClass, TimeSpan? retryAfter = null) =>
        new(HistoryEventType.TaskFailed, default) { Failure = new TaskFailureDetails("Boom", "scripted", FailureClass: failureClass, RetryAfter: retryAfter) };

    static HistoryEvent Ok(object? value) => new(HistoryEventType.TaskCompleted, default) { Data = DurableJson.Serialize(value) };

    [Fact]
    public void Sequential_activities_write_one_schedule_and_one_completion_each()
    {
        var harness = new ReplayHarness(new HelloSequence());
        harness.Responder = (request, _) => Ok($"Hello {DurableJson.Deserialize<string>(request.Input)}!");
        harness.Start("London");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], DurableJson.Deserialize<List<string>>(harness.Instance.Output));
        Assert.Equal(
        [
            "ExecutionStarted TestOrchestration",
            "TaskScheduled#0 SayHello", "TaskCompleted#0",
            "TaskScheduled#1 SayHello", "TaskCompleted#1",
            "TaskScheduled#2 SayHello", "TaskCompleted#2",
            "ExecutionCompleted",
        ], harness.Golden());
        Assert.Equal(4, harness.Commits.Count);
    }

    [Fact]
    public void Retry_writes_attempt_timer_attempt_and_no_trailing_timer()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1), backoffCoefficient: 2);
        var harness = new ReplayHarness(new RetryingCall(policy));
        harness.Responder = (_, attempt) => attempt < 3 ? Fail(FailureClass.Transient) : Ok("done");
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal("\"done\"", harness.Instance.Output);
        Assert.Equal(
        [
            "ExecutionStarted TestOrchestration",
            "TaskScheduled#0 Flaky", "TaskFailed#0", "TimerCreated#1", "TimerFired#1",
            "TaskScheduled#2 Flaky", "TaskFailed#2", "TimerCreated#3", "TimerFired#3",
            "TaskScheduled#4 Flaky", "TaskCompleted#4",
            "ExecutionCompleted",
        ], harness.Golden());

        // Back-off doubles, with at most 20 % deterministic jitter for Transient failures.
        var delays = TimerDelays(harness);
        Assert.InRange(delays[0], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.2));
        Assert.InRange(delays[1], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.4));
    }

    [Fact]
    public void Retry_gives_up_after_max_attempts_and_fails_with_the_last_failure()
    {
        var harness = new ReplayHarness(new RetryingCall(new RetryPolicy(2, TimeSpan.FromSeconds(1))));
        harness.Responder = (_, _) => Fail(FailureClass.Transient);
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, harness.RunToCompletion());
        Assert.Equal(2, harness.Golden().Count(line => line.StartsWith("TaskScheduled")));
        Assert.Equal(typeof(TaskFailedException).FullName, harness.Instance.Failure!.ErrorType);
        Assert.Equal(FailureClass.Transient, harness.Instance.Failure.FailureClass);
    }

    [Theory]
    [InlineData(FailureClass.AuthFailed)]
    [InlineData(FailureClass.Permanent)]
    public void Auth_and_permanent_failures_are_never_retried(FailureClass failureClass)
    {
        var harness = new ReplayHarness(new RetryingCall(new RetryPolicy(5, TimeSpan.FromSeconds(1))));
        harness.Responder = (_, _) => Fail(failureClass);
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, harness.RunToCompletion());
        Assert.Equal(["ExecutionStarted TestOrchestration", "TaskScheduled#0 Flaky", "TaskFailed#0", "ExecutionCompleted"], harness.Golden());
    }

    [Fact]
    public void Rate_limited_retry_waits_at_least_the_servers_retry_after()
    {
        var harness = new ReplayHarness(new RetryingCall(new RetryPolicy(3, TimeSpan.FromSeconds(1))));
        harness.Responder = (_, attempt) => attempt == 1 ? Fail(FailureClass.RateLimited, TimeSpan.FromSeconds(42)) : Ok("done");
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal(TimeSpan.FromSeconds(42), TimerDelays(harness).Single());
    }

    [Fact]
    public void Timeout_retry_doubles_the_attempt_timeout()
    {
        var harness = new ReplayHarness(new RetryingCall(new RetryPolicy(3, TimeSpan.FromSeconds(1)), TimeSpan.FromSeconds(10)));
        harness.Responder = (_, attempt) => attempt < 3 ? Fail(FailureClass.Timeout) : Ok("done");
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        var timeouts = harness.History.Where(e => e.Type == HistoryEventType.TaskScheduled).Select(e => e.Timeout).ToList();
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40)], timeouts);
    }

    [Fact]
    public void Retry_handle_predicate_can_refuse_a_class()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromSeconds(1)) { Handle = f => f.FailureClass != FailureClass.ResourceExhausted };
        var harness = new ReplayHarness(new RetryingCall(policy));
        harness.Responder = (_, _) => Fail(FailureClass.ResourceExhausted);
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Failed, harness.RunToCompletion());
        Assert.Single(harness.History, e => e.Type == HistoryEventType.TaskScheduled);
    }

    [Fact]
    public void Event_before_timeout_cancels_the_timer_and_its_late_firing_is_ignored()
    {
        var harness = new ReplayHarness(new ApprovalWithTimeout());
        harness.Start(60);
        harness.RunEpisode();
        harness.Advance(TimeSpan.FromSeconds(5));
        harness.Raise("approval", "yes");   // names are case-insensitive
        harness.RunEpisode();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.Instance.Status);
        Assert.Equal("\"decided:yes\"", harness.Instance.Output);
        Assert.Equal(["ExecutionStarted TestOrchestration", "TimerCreated#0", "EventRaised approval", "ExecutionCompleted"], harness.Golden());
    }

    [Fact]
    public void Wait_with_timeout_throws_timeout_when_the_timer_fires_first()
    {
        var harness = new ReplayHarness(new ApprovalWithTimeout());
        harness.Start(60);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal("\"timed-out\"", harness.Instance.Output);
        Assert.Equal(["ExecutionStarted TestOrchestration", "TimerCreated#0", "TimerFired#0", "ExecutionCompleted"], harness.Golden());
        Assert.Equal(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc), harness.Now);
    }

    [Fact]
    public void When_any_with_timer_takes_the_activity_when_it_wins()
    {
        var harness = new ReplayHarness(new ActivityOrTimer());
        harness.Start("work");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal("\"work\"", harness.Instance.Output);
        Assert.Equal(["ExecutionStarted TestOrchestration", "TaskScheduled#0 Slow", "TimerCreated#1", "TaskCompleted#0", "ExecutionCompleted"],
            harness.Golden());
    }

    [Fact]
    public void When_any_with_timer_takes_the_timer_when_the_activity_is_slow()
    {
        var harness = new ReplayHarness(new ActivityOrTimer());
        harness.Start("work");
        harness.RunEpisode();
        harness.Advance(TimeSpan.FromMinutes(5));
        harness.RunEpisode();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.Instance.Status);
        Assert.Equal("\"deadline\"", harness.Instance.Output);
        Assert.Equal(["ExecutionStarted TestOrchestration", "TaskScheduled#0 Slow", "TimerCreated#1", "TimerFired#1", "ExecutionCompleted"],
            harness.Golden());
    }

    [Fact]
    public void Continue_as_new_resets_history_and_loses_no_event()
    {
        var harness = new ReplayHarness(new EventCounter());
        harness.Start(0);
        harness.RunEpisode();
        // Five events arrive at once: one per execution is consumed, the rest must be carried forward.
        for (var i = 0; i < 5; i++) harness.Raise("Add", 1);
        harness.Raise("Add", -1);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal("5", harness.Instance.Output);
        Assert.True(harness.Commits.Count(c => c.ResetHistory) == 5, "each Add event should produce one ContinueAsNew");
        Assert.DoesNotContain(harness.History, e => e.Type == HistoryEventType.TaskScheduled);
        Assert.Equal("ExecutionStarted TestOrchestration", harness.Golden()[0]);
        Assert.Equal("exec-5", harness.Instance.ExecutionId);
    }

    [Fact]
    public void Events_go_to_the_oldest_waiter_and_are_buffered_when_nobody_waits()
    {
        var harness = new ReplayHarness(new TwoWaiters());
        harness.Raise("Note", "early");     // arrives with the start, before any wait
        harness.Start("x");
        harness.RunEpisode();
        Assert.Equal(OrchestrationRuntimeStatus.Running, harness.Instance.Status);
        harness.Raise("Note", "late");
        harness.RunEpisode();

        Assert.Equal("\"early,late\"", harness.Instance.Output);
    }

    [Fact]
    public void Fan_out_fan_in_completes_regardless_of_completion_order()
    {
        var harness = new ReplayHarness(new FanOut());
        harness.Start(20);
        harness.RunEpisode();
        Assert.Equal(20, harness.PendingActivities.Count);
        harness.PendingActivities.Reverse();
        harness.Responder = (request, _) => Ok(DurableJson.Deserialize<int>(request.Input) * 2);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal(Enumerable.Range(0, 20).Sum() * 2, DurableJson.Deserialize<int>(harness.Instance.Output));
    }

    [Fact]
    public void New_guid_and_current_time_are_stable_across_replay()
    {
        var harness = new ReplayHarness(new GuidsAndTime());
        harness.Start("x");
        harness.RunEpisode();
        var firstGuid = harness.PendingActivities.Single().Input;
        harness.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        var parts = DurableJson.Deserialize<string>(harness.Instance.Output).Split('|');
        Assert.Equal(DurableJson.Deserialize<string>(firstGuid), parts[0]);
        Assert.NotEqual(parts[0], parts[1]);
        Assert.Equal("2026-01-01T00:00:00.0000000Z", parts[2]);
        Assert.Equal(0x50, Guid.Parse(parts[0]).ToByteArray(bigEndian: true)[6] & 0xF0);
    }

    [Fact]
    public void Changing_code_under_a_running_instance_is_detected_and_names_the_step()
    {
        var v1 = new ReplayHarness(new ChangedCode(v2: false));
        v1.Start("order-7");
        v1.RunEpisode();
        v1.AnswerActivities();
        v1.RunEpisode();

        var v2 = new OrchestrationExecutor(Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            new ExecutorSettings(TimeSpan.FromMinutes(1), 1 << 20, () => "new"));
        var item = new Baton.Durable.Storage.OrchestrationWorkItem(v1.Instance.InstanceId, "t", v1.Instance, v1.History, [], v1.Now);
        var result = v2.Execute(new ChangedCode(v2: true), item);

        Assert.Equal(EpisodeKind.NonDeterministic, result.Kind);
        Assert.Contains("#0", result.Error!.Message);
        Assert.Contains("'Charge'", result.Error.Message);
        Assert.Contains("'Audit'", result.Error.Message);
    }

    [Fact]
    public void Awaiting_a_non_durable_task_fails_the_instance_with_a_clear_reason()
    {
        var harness = new ReplayHarness(new AwaitsTaskDelay());
        harness.Start("x");
        harness.RunEpisode();

        Assert.Equal(OrchestrationRuntimeStatus.Failed, harness.Instance.Status);
        Assert.Contains("not a durable task", harness.Instance.Failure!.ErrorMessage);
    }

    [Fact]
    public void Sub_orchestration_is_created_with_a_deterministic_id_and_its_result_resumes_the_parent()
    {
        var harness = new ReplayHarness(new CallsChild());
        harness.Start("payload");
        var first = harness.RunEpisode();

        var child = Assert.Single(first.Commit.Children);
        Assert.Equal("exec-0:0", child.InstanceId);
        Assert.Equal(new ParentOrchestrationInstance("TestOrchestration", "instance-1", "exec-0", 0), child.Parent);
        harness.Deliver("exec-0", new HistoryEvent(HistoryEventType.SubOrchestrationInstanceCompleted, harness.Now) { TaskId = 0, Data = "\"child-done\"" });
        harness.RunEpisode();

        Assert.Equal("\"child-done\"", harness.Instance.Output);
        Assert.Equal(["ExecutionStarted TestOrchestration", "SubOrchestrationInstanceCreated#0 Child", "SubOrchestrationInstanceCompleted#0",
            "ExecutionCompleted"], harness.Golden());
    }

    [Fact]
    public void Messages_for_an_old_execution_are_consumed_without_effect()
    {
        var harness = new ReplayHarness(new HelloSequence());
        harness.Start("x");
        harness.RunEpisode();
        harness.Deliver("some-old-execution", Ok("stale") with { TaskId = 0 });
        var result = harness.RunEpisode();

        Assert.Single(result.Commit.ConsumedMessageIds);
        Assert.DoesNotContain(harness.History, e => e.Type == HistoryEventType.TaskCompleted);
        Assert.Equal(OrchestrationRuntimeStatus.Running, harness.Instance.Status);
    }

    [Fact]
    public void Events_sent_just_before_returning_are_still_delivered()
    {
        var harness = new ReplayHarness(new SendsAndFinishes());
        harness.Start("other-instance");
        harness.RunEpisode();

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.Instance.Status);
        var sent = Assert.Single(harness.SentToOthers);
        Assert.Equal("other-instance", sent.TargetInstanceId);
        Assert.Equal("Ping", sent.Event.Name);
    }

    [Fact]
    public void Suspended_instances_hold_events_until_resumed()
    {
        var harness = new ReplayHarness(new TwoWaiters());
        harness.Start("x");
        harness.RunEpisode();
        harness.Control(HistoryEventType.ExecutionSuspended, "maintenance");
        harness.RunEpisode();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, harness.Instance.Status);

        harness.Raise("Note", "a");
        harness.Raise("Note", "b");
        harness.RunEpisode();
        Assert.Equal(OrchestrationRuntimeStatus.Suspended, harness.Instance.Status);

        harness.Control(HistoryEventType.ExecutionResumed);
        harness.RunEpisode();
        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.Instance.Status);
        Assert.Equal("\"a,b\"", harness.Instance.Output);
    }

    [Fact]
    public void Terminate_ends_the_instance_with_the_reason_as_output()
    {
        var harness = new ReplayHarness(new TwoWaiters());
        harness.Start("x");
        harness.RunEpisode();
        harness.Control(HistoryEventType.ExecutionTerminated, "no longer needed");
        harness.RunEpisode();

        Assert.Equal(OrchestrationRuntimeStatus.Terminated, harness.Instance.Status);
        Assert.Equal("\"no longer needed\"", harness.Instance.Output);
    }

    [Fact]
    public void Replay_safe_code_runs_side_effects_once_per_step()
    {
        var lines = new List<string>();
        var harness = new ReplayHarness(new LogsOnce(lines.Add));
        harness.Start("x");

        Assert.Equal(OrchestrationRuntimeStatus.Completed, harness.RunToCompletion());
        Assert.Equal(["start", "after-a"], lines);
    }

    static List<TimeSpan> TimerDelays(ReplayHarness harness)
    {
        var delays = new List<TimeSpan>();
        DateTime? failedAt = null;
        foreach (var e in harness.History)
        {
            if (e.Type == HistoryEventType.OrchestratorStarted) failedAt = e.Timestamp;
            if (e.Type == HistoryEventType.TimerCreated) delays.Add(e.FireAt!.Value - failedAt!.Value);
        }
        return delays;
    }
}
