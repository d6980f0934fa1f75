namespace Baton.Functions.Dashboard;

/// <summary>The dashboard's log lines: 9950–9969 (host range). Secrets, tokens and answer texts are never logged.</summary>
static partial class DashboardLog
{
    [LoggerMessage(9950, LogLevel.Information, "Dashboard sign-in: {Login} via {Method}")]
    public static partial void SignedIn(ILogger logger, string login, string method);

    [LoggerMessage(9951, LogLevel.Warning, "Dashboard sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string reason);

    [LoggerMessage(9952, LogLevel.Information, "Dashboard decision on escalation {EscalationKey}: {Action} by {Login} ({Verdict})")]
    public static partial void Decided(ILogger logger, string escalationKey, string action, string login, string verdict);

    [LoggerMessage(9953, LogLevel.Warning, "Dashboard decision on escalation {EscalationKey} refused for {Login}: {Reason}")]
    public static partial void DecisionRefused(ILogger logger, string escalationKey, string login, string reason);

    [LoggerMessage(9954, LogLevel.Debug, "Dashboard milestone {Repository}#{MilestoneNumber} could not be read ({ErrorType})")]
    public static partial void MilestoneUnreadable(ILogger logger, string repository, int milestoneNumber, string errorType);
}
