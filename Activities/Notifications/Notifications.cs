using Baton.Durable;

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

/// <summary>Sends one notification through the configured channel, keyed so a channel can drop a repeat.</summary>
public sealed class SendNotification(INotificationChannel channel) : TaskActivity<Notification, Unit>
{
    public override async Task<Unit> RunAsync(TaskActivityContext context, Notification notification)
    {
        await channel.SendAsync(notification, context.IdempotencyKey, context.CancellationToken);
        return Unit.Value;
    }
}
