using Baton.Runner.Protocol;

namespace Baton.Runner.Connection;

/// <summary>The runner's side of the runner protocol (ARCHITECTURE.md §2.3, routes in <c>RunnerProtocol.cs</c>):
/// <see cref="HttpRunnerConnection"/> for a standalone runner, or the host's own in-process implementation for its
/// embedded runner.</summary>
/// <remarks>Implementations throw <see cref="LeaseLostException"/> when the host says the job is no longer this
/// runner's (HTTP 410) and <see cref="RunnerUnauthorizedException"/> when it refuses the runner (HTTP 401/403); any
/// other exception is treated as a passing outage and retried.</remarks>
public interface IRunnerConnection
{
    Task<RunnerRegistered> RegisterAsync(RunnerRegistration registration, CancellationToken cancellationToken);

    /// <summary>Waits up to <paramref name="wait"/> for a job; null when none came.</summary>
    Task<AgentJob?> NextJobAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken);

    Task<HeartbeatReply> HeartbeatAsync(string jobId, JobHeartbeat heartbeat, CancellationToken cancellationToken);

    Task SendLogsAsync(string jobId, JobLogLines lines, CancellationToken cancellationToken);

    Task ReportAsync(string jobId, JobReport report, CancellationToken cancellationToken);
}

/// <summary>The host no longer considers this runner the holder of the job (it went stale, or the job was re-offered):
/// stop working on it and report nothing.</summary>
public sealed class LeaseLostException(string jobId) : Exception($"The lease on job {jobId} was lost.")
{
    public string JobId { get; } = jobId;
}

/// <summary>The host refused the runner's token: retrying will not help.</summary>
public sealed class RunnerUnauthorizedException(string message) : Exception(message);
