using Microsoft.Extensions.Logging;

namespace Baton.Runner;

/// <summary>The runner's log messages; EventIds 8500–8599 (the agents range, runner part).</summary>
internal static partial class RunnerLog
{
    [LoggerMessage(EventId = 8500, Level = LogLevel.Information, Message = "Runner {RunnerName} registered as {RunnerId} offering {Agents}")]
    public static partial void Registered(ILogger logger, string runnerName, string runnerId, string agents);

    [LoggerMessage(EventId = 8501, Level = LogLevel.Warning, Message = "Talking to the host failed; trying again in {DelaySeconds} s")]
    public static partial void HostCallFailed(ILogger logger, Exception exception, double delaySeconds);

    [LoggerMessage(EventId = 8502, Level = LogLevel.Information, Message = "Job {JobId} started: {Role} {Repository}#{IssueNumber} with {Agent} (offer {Offer})")]
    public static partial void JobStarted(ILogger logger, string jobId, string role, string repository, int issueNumber, string agent, int offer);

    [LoggerMessage(EventId = 8503, Level = LogLevel.Information, Message = "Job {JobId} finished: {OutcomeKind} {FailureClass}")]
    public static partial void JobFinished(ILogger logger, string jobId, string outcomeKind, string? failureClass);

    [LoggerMessage(EventId = 8504, Level = LogLevel.Information, Message = "Job {JobId} was cancelled by the host; the agent was stopped and nothing is reported")]
    public static partial void JobCancelled(ILogger logger, string jobId);

    [LoggerMessage(EventId = 8505, Level = LogLevel.Warning, Message = "Job {JobId}: the lease was lost; the agent was stopped and nothing is reported")]
    public static partial void LeaseLost(ILogger logger, string jobId);

    [LoggerMessage(EventId = 8506, Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat failed; the lease may lapse")]
    public static partial void HeartbeatFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 8507, Level = LogLevel.Error, Message = "Job {JobId}: the result could not be reported; the host will offer the job again")]
    public static partial void ReportFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 8508, Level = LogLevel.Warning, Message = "Job {JobId}: log lines could not be sent")]
    public static partial void LogsFailed(ILogger logger, Exception exception, string jobId);

    [LoggerMessage(EventId = 8509, Level = LogLevel.Error, Message = "Job {JobId} failed inside the runner")]
    public static partial void JobCrashed(ILogger logger, Exception exception, string jobId);
}
