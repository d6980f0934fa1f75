using Microsoft.Extensions.Logging;

namespace Baton.Webhooks.Discord;

/// <summary>Discord interaction intake log messages (5100–5149). Never the key, a token, or the payload.</summary>
static partial class DiscordInteractionLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information,
        Message = "Discord interaction refused with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, int statusCode, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information,
        Message = "Discord user {UserId} is not an approver; {Action} on escalation {EscalationKey} refused, nothing changed")]
    public static partial void NotAllowed(ILogger logger, string userId, string action, string escalationKey);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information,
        Message = "Discord {Action} by {UserId} on escalation {EscalationKey}: {Verdict}")]
    public static partial void Answered(ILogger logger, string action, string userId, string escalationKey, string verdict);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning,
        Message = "Discord {Action} on gate escalation {EscalationKey} not applied: the pull request's head could not be read ({Reason})")]
    public static partial void HeadUnreadable(ILogger logger, string action, string escalationKey, string reason);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Debug,
        Message = "Discord command /{Command} {Subcommand} by {UserId}")]
    public static partial void Command(ILogger logger, string command, string? subcommand, string userId);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information,
        Message = "Discord slash commands registered for application {ApplicationId}: {Commands}")]
    public static partial void CommandsRegistered(ILogger logger, string applicationId, string commands);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning,
        Message = "Discord slash commands not registered for application {ApplicationId}: {Reason}; interactions still work, /baton may be missing or stale")]
    public static partial void CommandsNotRegistered(ILogger logger, string applicationId, string reason);
}
