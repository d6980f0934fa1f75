using Baton.Failures;

namespace Baton.Activities.Jira;

/// <summary>Log messages of the Jira client and activities (event ids 4000–4099). Never the token, never a body.</summary>
static partial class JiraLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "Jira {Method} {Path} answered {Status}")]
    public static partial void Answered(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Jira {Method} {Path} failed ({Outcome}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string path, string outcome, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Jira {Method} {Path} failed: {FailureClass} (status {Status}), retry after {RetryAfter}: {JiraMessage}")]
    public static partial void Failed(ILogger logger, string method, string path, FailureClass failureClass, int? status, TimeSpan? retryAfter, string? jiraMessage);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Jira {Method} {Path} failed and will not be retried: {FailureClass} (status {Status}): {JiraMessage}")]
    public static partial void FailedForGood(ILogger logger, string method, string path, FailureClass failureClass, int? status, string? jiraMessage);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "Commented on Jira {IssueKey} (marker {Marker})")]
    public static partial void Commented(ILogger logger, string issueKey, string marker);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Information, Message = "Transitioned Jira {IssueKey} to {Status}")]
    public static partial void Transitioned(ILogger logger, string issueKey, string status);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Jira {IssueKey} has no transition to {Status}; left as it is")]
    public static partial void NoTransition(ILogger logger, string issueKey, string status);
}
