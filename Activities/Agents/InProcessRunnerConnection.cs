using Baton.Runner.Connection;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Agents;

/// <summary>The embedded runner's connection (<c>Runner__Embedded</c>, default on): the same calls an external runner
/// makes over HTTP, made directly, so a single-machine install runs agents without a token or a second process.</summary>
public sealed class InProcessRunnerConnection(AgentJobs jobs, IOptions<RunnerHostOptions> options) : IRunnerConnection
{
    public Task<RunnerRegistered> RegisterAsync(RunnerRegistration registration, CancellationToken cancellationToken) =>
        Task.FromResult(AgentJobs.Register(registration, options.Value.JobLease));

    public Task<AgentJob?> NextJobAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken) =>
        jobs.NextAsync(runnerId, wait, cancellationToken);

    public async Task<HeartbeatReply> HeartbeatAsync(string jobId, JobHeartbeat heartbeat, CancellationToken cancellationToken) =>
        await jobs.HeartbeatAsync(jobId, heartbeat.LeaseToken, cancellationToken) ?? throw new LeaseLostException(jobId);

    public async Task SendLogsAsync(string jobId, JobLogLines lines, CancellationToken cancellationToken)
    {
        if (!await jobs.AppendLogsAsync(jobId, lines.LeaseToken, lines.Lines, cancellationToken)) throw new LeaseLostException(jobId);
    }

    public async Task ReportAsync(string jobId, JobReport report, CancellationToken cancellationToken)
    {
        if (!await jobs.ReportAsync(jobId, report.LeaseToken, report.Outcome, cancellationToken)) throw new LeaseLostException(jobId);
    }
}
