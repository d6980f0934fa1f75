using Baton.Activities.Escalations;
using Microsoft.DurableTask;

namespace Baton.Orchestrations.Escalations;

/// <summary>
/// Asks people and waits, durably, for one of them (ARCHITECTURE.md §2.4). Opening posts the question everywhere people
/// look (a comment on the issue, Discord with buttons, the dashboard through this instance's custom status); then it waits
/// for the first valid <see cref="EscalationEvents.Answer"/>, reminding people on <see cref="EscalationPlan.ReminderEvery"/>,
/// pinging each rung of the ladder at its time, and at the final timeout taking the plan's default. The asker may withdraw
/// it (<see cref="EscalationEvents.Withdraw"/>: answered on GitHub, the issue closed). Closing says how it ended everywhere
/// and edits the Discord message to show who decided what. Answers after that go nowhere: the instance has completed.
/// </summary>
public sealed class EscalationOrchestration : TaskOrchestrator<EscalationRequest, EscalationOutcome>
{
    public override async Task<EscalationOutcome> RunAsync(TaskOrchestrationContext context, EscalationRequest request)
    {
        var key = EscalationIds.KeyOf(context.InstanceId) ?? context.InstanceId;
        var openedAt = context.CurrentUtcDateTime;
        var plan = await context.CallActivityAsync<EscalationPlan>(nameof(OpenEscalation), new EscalationStep(key, request), RetryPolicies.GitHub);
        var status = new EscalationStatus("waiting", request, openedAt) { TimesOutAt = openedAt + plan.FinalTimeout };
        var ladder = EscalationSchedule.Ordered(plan);

        using var stop = new CancellationTokenSource();
        var withdrawn = context.WaitForExternalEvent<EscalationWithdrawal>(EscalationEvents.Withdraw, stop.Token);
        var answered = context.WaitForExternalEvent<EscalationAnswer>(EscalationEvents.Answer, stop.Token);
        EscalationOutcome? outcome = null;
        try
        {
            for (var wakes = 0; outcome is null && wakes <= EscalationSchedule.MaxWakes(plan); )
            {
                var (at, wake) = EscalationSchedule.Next(plan, openedAt, status.Reminders, status.Rung);
                context.SetCustomStatus(status = status with { NextReminderAt = wake == EscalationWake.Timeout ? null : at });
                using var timerStop = new CancellationTokenSource();
                var timer = context.CreateTimer(at, timerStop.Token);
                var first = await Task.WhenAny(answered, withdrawn, timer);
                timerStop.Cancel();   // a pending timer would keep the instance open after it ends
                if (first == answered)
                {
                    var answer = await answered;
                    if (Accepts(request, answer))
                        outcome = new EscalationOutcome(answer.Action, answer.Text, answer.By, answer.Via, answer.At)
                            { GitHubLogin = answer.GitHubLogin, HeadSha = answer.HeadSha };
                    else
                        answered = context.WaitForExternalEvent<EscalationAnswer>(EscalationEvents.Answer, stop.Token);
                    continue;
                }
                if (first == withdrawn)
                {
                    outcome = new EscalationOutcome(EscalationOutcome.Withdrawn, (await withdrawn).Reason, "baton", EscalationOutcome.Withdrawn,
                        context.CurrentUtcDateTime);
                    continue;
                }
                wakes++;
                switch (wake)
                {
                    case EscalationWake.Timeout:
                        outcome = new EscalationOutcome(plan.DefaultAction, $"Nobody answered within {plan.FinalTimeout}.", "timeout", "timeout",
                            context.CurrentUtcDateTime);
                        break;
                    case EscalationWake.Rung:
                        var rung = ladder[status.Rung];
                        status = status with { Rung = status.Rung + 1 };
                        await Remind(context, key, request, status, rung);
                        break;
                    default:
                        status = status with { Reminders = status.Reminders + 1 };
                        await Remind(context, key, request, status, rung: null);
                        break;
                }
            }
        }
        finally
        {
            stop.Cancel();
        }

        outcome ??= new EscalationOutcome(plan.DefaultAction, "The reminder schedule ran out.", "timeout", "timeout", context.CurrentUtcDateTime);
        context.SetCustomStatus(status with { State = StateOf(outcome), Outcome = outcome, NextReminderAt = null });
        await context.CallActivityAsync<bool>(nameof(CloseEscalation), new EscalationClosing(key, request, outcome, plan), RetryPolicies.GitHub);
        return outcome;
    }

    /// <summary>An answer counts when it is one of the offered actions. Who may answer was checked where it came in.</summary>
    static bool Accepts(EscalationRequest request, EscalationAnswer answer) =>
        request.Actions.Contains(answer.Action, StringComparer.Ordinal);

    static Task Remind(TaskOrchestrationContext context, string key, EscalationRequest request, EscalationStatus status, EscalationRung? rung) =>
        context.CallActivityAsync<bool>(nameof(RemindEscalation),
            new EscalationReminder(key, request, status.Reminders + status.Rung, status.OpenedAt, rung), RetryPolicies.GitHub);

    public static string StateOf(EscalationOutcome outcome) => outcome.Via switch
    {
        "timeout" => "timed-out",
        EscalationOutcome.Withdrawn => "withdrawn",
        _ => "resolved",
    };
}
