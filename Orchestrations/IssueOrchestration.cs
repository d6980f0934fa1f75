using Baton.Activities.Conductor;
using Baton.Durable;
using Baton.Orchestrations.Conductor;

namespace Baton.Orchestrations;

/// <summary>
/// One issue from claim to result (ARCHITECTURE.md §2.2). Today: claim it, then wait for the agent job's result
/// (the runner pipeline, a later issue, delivers <see cref="ConductorEvents.AgentResult"/>) or for a person to
/// close the issue. Either way the conductor is woken so the slot is reused at once.
/// </summary>
public sealed class IssueOrchestration : TaskOrchestrator<IssueRef, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, IssueRef issue)
    {
        await context.CallActivityAsync<bool>(nameof(ClaimIssue), issue, RetryPolicies.GitHub);
        context.SetCustomStatus(new { stage = "waiting-for-agent", issue = issue.ToString() });

        using var cancel = new CancellationTokenSource();
        var result = context.WaitForExternalEvent<AgentResult>(ConductorEvents.AgentResult, cancel.Token);
        var closed = context.WaitForExternalEvent<string?>(ConductorEvents.IssueClosed, cancel.Token);
        var first = await Task.WhenAny(result, closed);
        cancel.Cancel();

        var outcome = first == closed ? "closed by a person" : (await result).Succeeded ? "agent succeeded" : "agent failed";
        context.SetCustomStatus(new { stage = "finished", issue = issue.ToString(), outcome });
        context.SendEvent(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake, new ConductorWake($"{issue}: {outcome}"));
        return outcome;
    }
}
