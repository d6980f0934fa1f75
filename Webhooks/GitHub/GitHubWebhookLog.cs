using Microsoft.Extensions.Logging;

namespace Baton.Webhooks.GitHub;

/// <summary>GitHub webhook log messages (1000–1099). Never the secret, never the payload.</summary>
static partial class GitHubWebhookLog
{
    // Debug: one line per accepted delivery cost ~10 % of the CPU under load (docs/benchmarks.md).
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug,
        Message = "GitHub delivery {DeliveryId} recorded: {Event}.{Action} → {Route} ({Repository}#{IssueNumber})")]
    public static partial void Recorded(ILogger logger, string deliveryId, string @event, string? action, GitHubRouteKind route,
        string? repository, int? issueNumber);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "GitHub delivery {DeliveryId} is a redelivery, already recorded by {InstanceId}; nothing new recorded")]
    public static partial void Duplicate(ILogger logger, string deliveryId, string instanceId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "GitHub delivery {DeliveryId} ignored: no route for {Event}.{Action}")]
    public static partial void Ignored(ILogger logger, string deliveryId, string @event, string? action);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning,
        Message = "GitHub delivery {DeliveryId} refused with {StatusCode}: {Reason}")]
    public static partial void Refused(ILogger logger, string? deliveryId, int statusCode, string reason);
}
