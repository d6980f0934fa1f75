using Microsoft.DurableTask;

namespace Baton.Activities.Notifications;

/// <summary>Something people should hear about (job started, PR ready, milestone complete, …).</summary>
public sealed record Notification(string Kind, string Title, string Detail, string? Link = null);

/// <summary>Where notifications go. The default writes them to the log; Discord plugs in here later.</summary>
public interface INotificationChannel
{
    Task SendAsync(Notification notification, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>The default channel: one structured log line per notification.</summary>
public sealed partial class LogNotificationChannel(ILogger<LogNotificationChannel> logger) : INotificationChannel
{
    public Task SendAsync(Notification notification, string idempotencyKey, CancellationToken cancellationToken)
    {
        Notified(logger, notification.Kind, notification.Title, notification.Detail);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Notification {Kind}: {Title} — {Detail}")]
    static partial void Notified(ILogger logger, string kind, string title, string detail);
}

/// <summary>Sends one notification through the configured channel, keyed so a channel can drop a repeat: the key is the
/// sending instance with the notification's kind and title, which a retried or replayed call repeats exactly.</summary>
public sealed class SendNotification(INotificationChannel channel) : TaskActivity<Notification, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, Notification notification)
    {
        await channel.SendAsync(notification, $"{context.InstanceId}:{notification.Kind}:{notification.Title}", CancellationToken.None);
        return true;
    }
}
