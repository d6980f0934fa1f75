namespace Baton.Activities.Agents;

/// <summary>Agent jobs on the host side: 8000–8099 (the runner process uses 8500s).</summary>
static partial class AgentJobLog
{
    [LoggerMessage(8000, LogLevel.Information, "Agent job {JobId} for {Issue} ({Role}) offered to runner {RunnerId} (offer {Offer})")]
    public static partial void Offered(ILogger logger, long jobId, string issue, string role, string runnerId, int offer);

    [LoggerMessage(8001, LogLevel.Information, "Agent job {JobId} reported {Outcome} {FailureClass}")]
    public static partial void Reported(ILogger logger, long jobId, string outcome, string? failureClass);

    [LoggerMessage(8002, LogLevel.Information, "Agent job {JobId} cancelled: orchestration {InstanceId} has ended")]
    public static partial void Cancelled(ILogger logger, long jobId, string instanceId);

    [LoggerMessage(8003, LogLevel.Error, "Agent job {JobId} for {Issue} failed as StaleWorker after {Offers} runners went quiet")]
    public static partial void GaveUp(ILogger logger, long jobId, string issue, int offers);

    [LoggerMessage(8004, LogLevel.Warning, "Agent job {JobId}: no credential for {Repository}; offered again in 30 s")]
    public static partial void CredentialFailed(ILogger logger, Exception exception, long jobId, string repository);

    [LoggerMessage(8005, LogLevel.Debug, "Agent job {JobId}: {Line}")]
    public static partial void Output(ILogger logger, long jobId, string line);

    [LoggerMessage(8006, LogLevel.Warning, "Runner call refused from {Remote}: {Reason}")]
    public static partial void RunnerRefused(ILogger logger, string remote, string reason);
}
