using Baton.Failures;

namespace Baton.Activities.Discord;

/// <summary>Log messages of the Discord client and notifications (event ids 5000–5099). Never includes a token or a body.</summary>
static partial class DiscordLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Debug, Message = "Discord {Method} {Path} answered {Status}")]
    public static partial void Answered(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Debug, Message = "Discord {Method} {Path} waits {Delay} for its rate-limit bucket")]
    public static partial void WaitingForBucket(ILogger logger, string method, string path, TimeSpan delay);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Discord {Method} {Path} failed: {FailureClass} (status {Status}), retry after {RetryAfter}: {DiscordMessage}")]
    public static partial void Failed(ILogger logger, string method, string path, FailureClass failureClass, int? status, TimeSpan? retryAfter, string? discordMessage);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Error, Message = "Discord {Method} {Path} failed and will not be retried: {FailureClass} (status {Status}): {DiscordMessage}")]
    public static partial void FailedForGood(ILogger logger, string method, string path, FailureClass failureClass, int? status, string? discordMessage);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Notification {Kind} queued for Discord as {InstanceId}")]
    public static partial void Queued(ILogger logger, string kind, string instanceId);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Discord message {MessageId} posted for {InstanceId}")]
    public static partial void Posted(ILogger logger, string messageId, string instanceId);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Information, Message = "Discord message {MessageId} edited for {InstanceId}")]
    public static partial void Edited(ILogger logger, string messageId, string instanceId);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Error, Message = "Discord notification {Kind} ({InstanceId}) given up, the pipeline is not affected: {Reason}")]
    public static partial void GaveUp(ILogger logger, string kind, string instanceId, string reason);
}
