using Microsoft.Extensions.Logging;

namespace Baton.Webhooks.Jira;

/// <summary>Jira webhook log messages (1100–1199). Never the secret, never the payload.</summary>
static partial class JiraWebhookLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Jira delivery {DeliveryId} recorded: {IssueKey} {Reason}; feature instance {InstanceId}")]
    public static partial void Recorded(ILogger logger, string deliveryId, string? issueKey, string reason, string instanceId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information,
        Message = "Jira delivery {DeliveryId} is a redelivery, already recorded by {InstanceId}; nothing new recorded")]
    public static partial void Duplicate(ILogger logger, string deliveryId, string instanceId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information,
        Message = "Jira delivery {DeliveryId} ({Event}, {IssueKey}) ignored: {Reason}")]
    public static partial void Ignored(ILogger logger, string deliveryId, string @event, string? issueKey, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information,
        Message = "Jira delivery {DeliveryId}: {By} answered the plan of {IssueKey} with {Action} ({Verdict})")]
    public static partial void PlanAnswered(ILogger logger, string deliveryId, string issueKey, string by, string action, string verdict);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Jira delivery {DeliveryId} refused with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string? deliveryId, int statusCode, string reason);
}
