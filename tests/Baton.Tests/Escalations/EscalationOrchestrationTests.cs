using Baton.Activities.Escalations;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Escalations;

/// <summary>One escalation's life on a mocked SDK context: the first valid answer wins, reminders and the ladder come at their
/// times, the final timeout takes the default, a withdrawal ends it, and nothing is left pending.</summary>
public sealed class EscalationOrchestrationTests
{
    static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    const string Key = "0123456789abcdef0123456789abcdef";

    static readonly EscalationRequest Gate = new("gate", "acme/app#42", "Pull request #42 needs a person's approval", "It touches payments.",
        [EscalationActions.Approve, EscalationActions.Reject], new IssueRef("acme", "app", 7), 42, "sha-1", ["alice"]);

    static readonly EscalationPlan Plan = new(TimeSpan.FromHours(4), TimeSpan.FromHours(24), EscalationActions.Stop,
        [new EscalationRung("leads", TimeSpan.FromHours(6), ["role:111"]), new EscalationRung("owner", TimeSpan.FromHours(12), ["user:222"])]);

    [Fact]
    public void The_first_offered_answer_settles_it_and_the_message_says_who_decided()
    {
        var (context, run) = Open();
        Assert.Equal("waiting", Status(context).State);

        context.Raise(EscalationEvents.Answer, new EscalationAnswer("answer", "not offered here", "mallory", "discord", Start));
        Assert.False(run.IsFinished);   // an action the escalation does not offer changes nothing
        context.Raise(EscalationEvents.Answer, new EscalationAnswer(EscalationActions.Approve, null, "Ada", "discord", Start) { HeadSha = "sha-1" });

        Assert.Equal((EscalationActions.Approve, "Ada", "discord", "sha-1"), (run.Output.Action, run.Output.By, run.Output.Via, run.Output.HeadSha));
        var closing = context.Calls.Single(c => c.Name == nameof(CloseEscalation)).InputAs<EscalationClosing>();
        Assert.Equal((Key, "Ada"), (closing.Key, closing.Outcome.By));
        Assert.Equal(("resolved", "Ada"), (Status(context).State, Status(context).Outcome!.By));
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void Reminders_and_the_ladder_come_at_their_times_and_the_final_timeout_takes_the_default()
    {
        var (context, run) = Open();

        context.AdvanceTime(TimeSpan.FromHours(4));
        context.AdvanceTime(TimeSpan.FromHours(2));
        context.AdvanceTime(TimeSpan.FromHours(6));
        var calls = context.Calls.Where(c => c.Name == nameof(RemindEscalation)).ToList();
        var reminders = calls.Select(c => c.InputAs<EscalationReminder>()).ToList();
        // 4 h: a reminder; 6 h: the leads; 8 h: a reminder; 12 h: the owner and a reminder.
        Assert.Equal([(4, null), (6, "leads"), (8, null), (12, "owner"), (12, null)],
            calls.Select(c => ((int)(c.At - Start).TotalHours, c.InputAs<EscalationReminder>().Rung?.Name)));
        Assert.Equal(Enumerable.Range(1, 5), reminders.Select(r => r.Number));
        Assert.Equal(["role:111"], reminders[1].Rung!.Mentions);
        Assert.False(run.IsFinished);

        context.AdvanceTime(TimeSpan.FromHours(12));

        Assert.Equal((EscalationActions.Stop, "timeout", true), (run.Output.Action, run.Output.Via, run.Output.TimedOut));
        Assert.Equal("timed-out", Status(context).State);
        Assert.Equal(7, context.Calls.Count(c => c.Name == nameof(RemindEscalation)));   // 16 h and 20 h too; none at 24 h
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void A_withdrawal_ends_it_without_an_answer()
    {
        var (context, run) = Open();

        context.Raise(EscalationEvents.Withdraw, new EscalationWithdrawal("approved by @alice on GitHub"));

        Assert.Equal((EscalationOutcome.Withdrawn, "approved by @alice on GitHub", "withdrawn"), (run.Output.Action, run.Output.Text, Status(context).State));
        Assert.Single(context.Calls, c => c.Name == nameof(CloseEscalation));
        Assert.Empty(context.PendingTimers);
    }

    [Fact]
    public void An_answer_raised_before_it_started_waiting_is_not_lost()
    {
        var context = Context();
        context.Raise(EscalationEvents.Answer, new EscalationAnswer(EscalationActions.Reject, "No.", "alice", "dashboard", Start));

        var run = context.Start(new EscalationOrchestration(), Gate);

        Assert.Equal((EscalationActions.Reject, "No."), (run.Output.Action, run.Output.Text));
    }

    [Fact]
    public void The_schedule_never_reminds_at_or_after_the_timeout_and_bounds_its_wakes()
    {
        var plan = new EscalationPlan(TimeSpan.FromHours(8), TimeSpan.FromHours(24), EscalationActions.Stop, [new EscalationRung("late", TimeSpan.FromHours(30), ["role:1"])]);

        Assert.Equal((Start.AddHours(8), EscalationWake.Reminder), EscalationSchedule.Next(plan, Start, 0, 0));
        Assert.Equal((Start.AddHours(24), EscalationWake.Timeout), EscalationSchedule.Next(plan, Start, 2, 0));   // 24 h: the timeout, not a reminder
        Assert.Equal(5, EscalationSchedule.MaxWakes(plan));
    }

    static MockOrchestrationContext Context() =>
        new MockOrchestrationContext(nameof(EscalationOrchestration), EscalationIds.InstanceIdFor(Key), Start)
            .OnActivity(nameof(OpenEscalation), (EscalationStep _) => Plan)
            .OnActivity(nameof(RemindEscalation), (EscalationReminder _) => true)
            .OnActivity(nameof(CloseEscalation), (EscalationClosing _) => true);

    static (MockOrchestrationContext, OrchestrationRun<EscalationOutcome>) Open()
    {
        var context = Context();
        return (context, context.Start(new EscalationOrchestration(), Gate));
    }

    static EscalationStatus Status(MockOrchestrationContext context) => Assert.IsType<EscalationStatus>(context.CustomStatus);
}
