using Baton.Activities.Notifications;
using Baton.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Discord;

/// <summary>
/// Sends notifications to Discord without waiting for it: each is handed to its own <see cref="DiscordMessageOrchestration"/>
/// (instance <see cref="DiscordMessageKeys.InstanceIdFor"/> the idempotency key) and this returns as soon as that is
/// stored. A repeat of a key finds its instance and starts nothing. The log line of <see cref="LogNotificationChannel"/>
/// is written too, so the log tells the same story with or without Discord.
/// </summary>
public sealed class DiscordNotificationChannel(
    DurableTaskClient client, LogNotificationChannel log, IOptions<DiscordOptions> options, ILogger<DiscordNotificationChannel> logger)
    : INotificationChannel
{
    public async Task SendAsync(Notification notification, string idempotencyKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentException.ThrowIfNullOrEmpty(idempotencyKey);
        // Bad mentions or buttons are the caller's mistake: refused here, not found a day later by the retries.
        DiscordMessages.Render(notification);
        await log.SendAsync(notification, idempotencyKey, cancellationToken);

        var instanceId = DiscordMessageKeys.InstanceIdFor(idempotencyKey);
        if (await client.GetInstanceAsync(instanceId, cancellation: cancellationToken) is not null) return;
        var request = new DiscordMessageRequest(notification, DiscordMessageKeys.NonceFor(idempotencyKey),
            notification.Replaces is { Length: > 0 } replaced ? DiscordMessageKeys.InstanceIdFor(replaced) : null,
            DiscordRetry.From(options.Value.Delivery));
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(DiscordMessageOrchestration), request,
                new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Refused because a concurrent send of the same key started it meanwhile: that is this notification.
            if (await client.GetInstanceAsync(instanceId, cancellation: cancellationToken) is null) throw;
        }
        DiscordLog.Queued(logger, notification.Kind, instanceId);
    }
}
