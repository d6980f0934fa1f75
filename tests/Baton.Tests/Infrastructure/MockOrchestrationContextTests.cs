using Baton.Failures;
using Microsoft.DurableTask;

namespace Baton.Tests.Infrastructure;

/// <summary>The mock context keeps the SDK's semantics the orchestrator tests rely on.</summary>
public sealed class MockOrchestrationContextTests
{
    static readonly DateTime Start = new(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);

    static MockOrchestrationContext Context() => new("test", "test-1", Start);

    [Fact]
    public void Events_raised_before_anyone_waits_are_handed_out_in_order_and_later_ones_resume_it_inline()
    {
        var context = Context();
        context.Raise(TestEvents.Item, "a");
        context.Raise(TestEvents.Item, "b");

        var run = context.Start(new CollectItemsOrchestration(), 3);
        Assert.False(run.IsFinished);
        context.Raise(TestEvents.Item, "c");

        Assert.Equal(["a", "b", "c"], run.Output);
    }

    [Fact]
    public void A_cancelled_waiter_does_not_take_the_next_event()
    {
        var context = Context();
        var run = context.Start(new WaitUntilOrchestration(), TimeSpan.FromMinutes(1));

        context.AdvanceTime(TimeSpan.FromMinutes(1));   // the first wait times out and is cancelled
        Assert.False(context.IsWaitingFor(TestEvents.Item));
        context.Raise(TestEvents.Item, "late");   // buffered: only the cancelled waiter is there
        Assert.False(run.IsFinished);

        context.AdvanceTime(TimeSpan.FromMinutes(1));

        Assert.Equal(["timeout", "late"], run.Output);
    }

    [Fact]
    public void Advancing_time_fires_each_due_timer_at_its_own_time_in_order()
    {
        var context = Context();
        var run = context.Start(new TickOrchestration(), 3);

        context.AdvanceTime(TimeSpan.FromMinutes(10));

        Assert.Equal([Start.AddMinutes(1), Start.AddMinutes(2), Start.AddMinutes(3)], run.Output);
        Assert.Equal(Start.AddMinutes(10), context.Now);
    }

    [Fact]
    public void A_scripted_failure_fails_the_call_with_its_failure_class()
    {
        var context = Context()
            .OnActivity<string, string>("Charge", _ => throw new ClassifiedFailureException(FailureClass.AuthFailed, "bad key"));

        var run = context.Start(new CallOrchestration(), "Charge");

        Assert.Equal("failed: AuthFailed bad key", run.Output);
    }

    [Fact]
    public void An_unscripted_activity_fails_the_run_and_an_unfinished_run_says_what_it_waits_for()
    {
        Assert.Contains("'Refund'", Assert.Throws<InvalidOperationException>(() => Context().Start(new CallOrchestration(), "Refund").Output).Message);
        Assert.Contains($"events [{TestEvents.Item}]", Assert.Throws<InvalidOperationException>(() => Context().Start(new CollectItemsOrchestration(), 1).Output).Message);
    }

    /// <summary>Waits for an item or the timeout, then a minute, then for one more item.</summary>
    sealed class WaitUntilOrchestration : TaskOrchestrator<TimeSpan, List<string>>
    {
        public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, TimeSpan timeout)
        {
            using var cancel = new CancellationTokenSource();
            var item = context.WaitForExternalEvent<string>(TestEvents.Item, cancel.Token);
            var timer = context.CreateTimer(context.CurrentUtcDateTime + timeout, cancel.Token);
            var first = await Task.WhenAny(item, timer) == item ? await item : "timeout";
            cancel.Cancel();
            await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
            return [first, await context.WaitForExternalEvent<string>(TestEvents.Item)];
        }
    }

    /// <summary>Sleeps a minute <c>count</c> times and returns the clock after each.</summary>
    sealed class TickOrchestration : TaskOrchestrator<int, List<DateTime>>
    {
        public override async Task<List<DateTime>> RunAsync(TaskOrchestrationContext context, int count)
        {
            var ticks = new List<DateTime>();
            for (var i = 0; i < count; i++)
            {
                await context.CreateTimer(TimeSpan.FromMinutes(1), CancellationToken.None);
                ticks.Add(context.CurrentUtcDateTime);
            }
            return ticks;
        }
    }

    /// <summary>Calls the named activity and reports a failure's class and message.</summary>
    sealed class CallOrchestration : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string activity)
        {
            try
            {
                return await context.CallActivityAsync<string>(activity, "input");
            }
            catch (TaskFailedException e)
            {
                return $"failed: {FailureFacts.ClassOf(e.FailureDetails)} {e.FailureDetails.ErrorMessage}";
            }
        }
    }
}
