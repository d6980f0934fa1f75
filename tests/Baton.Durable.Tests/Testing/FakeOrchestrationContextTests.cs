using Baton.Durable.Testing;
using Baton.Durable.Tests.Execution;

namespace Baton.Durable.Tests.Testing;

/// <summary>The fake context is what orchestrator authors unit-test with; these pin its behaviour.</summary>
public sealed class FakeOrchestrationContextTests
{
    [Fact]
    public async Task Scripted_activities_answer_and_calls_are_recorded()
    {
        var fake = new FakeOrchestrationContext().OnActivity("SayHello", (string city) => $"Hello {city}!");

        var result = await fake.RunAsync(new HelloSequence(), "London");

        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], result);
        Assert.Equal(["Tokyo", "Seattle", "London"], fake.Calls.Select(c => c.InputAs<string>()));
    }

    [Fact]
    public async Task Retry_policies_are_honoured_and_the_clock_moves_by_the_back_off()
    {
        var attempts = 0;
        var fake = new FakeOrchestrationContext().OnActivity("Flaky", (string _) =>
            ++attempts < 3 ? FakeOrchestrationContext.Fail<string>(FailureClass.Transient) : "ok");
        var start = fake.CurrentUtcDateTime;

        var result = await fake.RunAsync(new RetryingCall(new RetryPolicy(3, TimeSpan.FromSeconds(10))), "x");

        Assert.Equal("ok", result);
        Assert.Equal(3, fake.Calls.Count);
        Assert.InRange(fake.CurrentUtcDateTime - start, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(24));
    }

    [Fact]
    public async Task Auth_failures_surface_as_task_failed_without_retry()
    {
        var fake = new FakeOrchestrationContext().OnActivity("Flaky", (string _) => FakeOrchestrationContext.Fail<string>(FailureClass.AuthFailed));

        var error = await Assert.ThrowsAsync<TaskFailedException>(() => fake.RunAsync(new RetryingCall(new RetryPolicy(5, TimeSpan.FromSeconds(1))), "x"));

        Assert.Equal(FailureClass.AuthFailed, error.FailureDetails.FailureClass);
        Assert.Single(fake.Calls);
    }

    [Fact]
    public async Task Raised_events_and_advancing_time_drive_waits()
    {
        var fake = new FakeOrchestrationContext();
        var decided = fake.RunAsync(new ApprovalWithTimeout(), 60);
        Assert.False(decided.IsCompleted);
        fake.RaiseEvent("Approval", "yes");
        Assert.Equal("decided:yes", await decided);

        var second = new FakeOrchestrationContext();
        var timedOut = second.RunAsync(new ApprovalWithTimeout(), 60);
        second.AdvanceTime(TimeSpan.FromSeconds(61));
        Assert.Equal("timed-out", await timedOut);
    }

    [Fact]
    public async Task Events_raised_from_many_threads_while_the_orchestrator_waits_are_each_delivered_once()
    {
        // The orchestrator re-registers its wait on the thread pool while the test raises: no event may be lost.
        const int count = 50_000;
        var fake = new FakeOrchestrationContext();
        var sum = fake.RunAsync(new SumOfEvents(), count);

        Parallel.For(1, count + 1, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => fake.RaiseEvent("n", i));

        Assert.Equal(count * (count + 1L) / 2, await sum.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    sealed class SumOfEvents : TaskOrchestrator<int, long>
    {
        public override async Task<long> RunAsync(TaskOrchestrationContext context, int count)
        {
            long sum = 0;
            for (var i = 0; i < count; i++) sum += await context.WaitForExternalEvent<int>("n");
            return sum;
        }
    }
}
