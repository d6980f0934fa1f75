namespace Baton.Activities.Agents;

/// <summary>Agent jobs on the host side: 8000–8099 (the runner process uses 8500s).</summary>
static partial class AgentJobLog
{
    [LoggerMessage(8000, LogLevel.Information, "Agent job {JobId} for {Issue} ({Role}) offered to runner {RunnerId} (offer {Offer})")]
    public static partial void Offered(ILogger logger, string jobId, string issue, string role, string runnerId, int offer);

    [LoggerMessage(8001, LogLevel.Information, "Agent job {JobId} reported {Outcome} {FailureClass}")]
    public static partial void Reported(ILogger logger, string jobId, string outcome, string? failureClass);

    [LoggerMessage(8004, LogLevel.Warning, "Agent job {JobId}: no credential for {Repository}; offered again when the lease lapses")]
    public static partial void CredentialFailed(ILogger logger, Exception exception, string jobId, string repository);

    [LoggerMessage(8005, LogLevel.Debug, "Agent job {JobId}: {Line}")]
    public static partial void Output(ILogger logger, string jobId, string line);

    [LoggerMessage(8006, LogLevel.Warning, "Runner call refused from {Remote}: {Reason}")]
    public static partial void RunnerRefused(ILogger logger, string remote, string reason);
}
