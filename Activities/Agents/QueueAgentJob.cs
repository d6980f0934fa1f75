using Baton.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Agents;

/// <summary>
/// Queues an agent job: starts its <see cref="AgentJobOrchestration"/> under the job id the caller chose, with the lease
/// and offer limits read here (so they are recorded in history, never read by an orchestrator). Idempotent: a job
/// instance that already exists, live or finished, is left as it is (activities run at least once).
/// </summary>
public sealed class QueueAgentJob(DurableTaskClient client, IOptions<RunnerHostOptions> options) : TaskActivity<QueueAgentJobInput, QueueAgentJobResult>
{
    public override async Task<QueueAgentJobResult> RunAsync(TaskActivityContext context, QueueAgentJobInput input)
    {
        var settings = options.Value;
        var result = new QueueAgentJobResult(input.JobId, WaitLimit(input.Request, settings));
        if (await client.GetInstanceAsync(input.JobId) is not null) return result;
        var job = new AgentJobInput(input.Request, input.ReplyTo, settings.JobLease, settings.MaxOffers);
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(AgentJobOrchestration), job,
                new StartOrchestrationOptions(input.JobId));
        }
        catch (Exception)
        {
            // Refused because another attempt of this activity started it meanwhile: that is the job.
            if (await client.GetInstanceAsync(input.JobId) is null) throw;
        }
        return result;
    }

    /// <summary>How long the caller waits for an outcome: every allowed offer running to the agent's wall time, plus a
    /// lease each for the runner to notice and for the re-offer.</summary>
    static TimeSpan WaitLimit(AgentJobRequest request, RunnerHostOptions settings) =>
        settings.MaxOffers * (TimeSpan.FromSeconds(request.Budget.WallTimeSeconds) + 2 * settings.JobLease);
}

/// <param name="JobId">The job instance's id, chosen by the orchestration (deterministic, so a retry finds it).</param>
/// <param name="ReplyTo">The instance that waits for the outcome.</param>
/// <param name="Request">What the runner is to do.</param>
public sealed record QueueAgentJobInput(string JobId, string ReplyTo, AgentJobRequest Request);

/// <param name="JobId">The job instance's id.</param>
/// <param name="WaitLimit">After this long without an outcome the caller cancels the job and counts it as timed out.</param>
public sealed record QueueAgentJobResult(string JobId, TimeSpan WaitLimit);
