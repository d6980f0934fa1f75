using Baton.Activities.Agents;
using Baton.Activities.Conductor;
using Baton.Durable;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;

namespace Baton.Orchestrations;

/// <summary>
/// One issue from claim to result (ARCHITECTURE.md §2.2). Today: claim it, dispatch an agent job (a remote activity a
/// runner takes, see <see cref="AgentJobs"/>) and wait for its outcome, or for a person to close the issue, which
/// ends the orchestration, so the job is cancelled at the runner's next heartbeat (or never offered). Either way the
/// conductor is woken so the slot is reused at once.
/// </summary>
public sealed class IssueOrchestration : TaskOrchestrator<IssueRef, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, IssueRef issue)
    {
        var job = await context.CallActivityAsync<AgentJobRequest>(nameof(ClaimIssue), issue, RetryPolicies.GitHub);
        context.SetCustomStatus(new IssueStatus("waiting-for-agent", issue.ToString(), job.Agent, job.Branch));

        using var cancel = new CancellationTokenSource();
        var work = context.CallActivityAsync<AgentOutcome>(AgentJobs.ActivityFor(job.Agent), job, RetryPolicies.Agent);
        var closed = context.WaitForExternalEvent<string?>(ConductorEvents.IssueClosed, cancel.Token);
        var first = await Task.WhenAny(work, closed);
        cancel.Cancel();

        var outcome = first == closed ? "closed by a person" : await DescribeAsync(work);
        context.SetCustomStatus(new IssueStatus("finished", issue.ToString(), job.Agent, job.Branch) { Outcome = outcome });
        context.SendEvent(ConductorEvents.ConductorInstanceId, ConductorEvents.Wake, new ConductorWake($"{issue}: {outcome}"));
        return outcome;
    }

    static async Task<string> DescribeAsync(Task<AgentOutcome> work)
    {
        try
        {
            var outcome = await work;
            return outcome.Kind switch
            {
                AgentOutcomeKind.Succeeded => $"agent succeeded at {outcome.HeadSha}",
                AgentOutcomeKind.Blocked => $"agent is blocked: {outcome.Question}",
                _ => "agent failed",
            };
        }
        catch (TaskFailedException e)
        {
            return $"agent failed ({e.FailureDetails.FailureClass}): {e.FailureDetails.ErrorMessage}";
        }
    }
}

/// <summary>What an issue's orchestration shows as its custom status.</summary>
public sealed record IssueStatus(string Stage, string Issue, string Agent, string Branch)
{
    public string? Outcome { get; init; }
}
