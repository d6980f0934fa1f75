using Baton.Hosting;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Notifications;

/// <summary>Something people should hear about (job started, PR ready, CI failed, gate waiting, question asked,
/// escalation reminder, milestone complete, …). Plain text and links only: never a secret or a stack trace.</summary>
/// <param name="Kind">What happened (agent-started, pr-ready, ci-failed, self-heal-exhausted, gate-waiting, question,
/// escalation, escalation-reminder, escalation-resolved, milestone-complete, …).</param>
/// <param name="Title">One line.</param>
/// <param name="Detail">Markdown, a few lines.</param>
/// <param name="Link">The main link (usually the GitHub comment or pull request).</param>
public sealed record Notification(string Kind, string Title, string Detail, string? Link = null)
{
    /// <summary>More links shown with it: the issue, the pull request, the dashboard.</summary>
    public IReadOnlyList<NotificationLink> Links { get; init; } = [];

    /// <summary>Buttons people can press (escalations); their ids are <c>EscalationIds.ComponentId</c>s.</summary>
    public IReadOnlyList<NotificationButton> Buttons { get; init; } = [];

    /// <summary>Who to ping: <c>role:{id}</c> or <c>user:{id}</c> (Discord ids), e.g. an escalation ladder's rung.</summary>
    public IReadOnlyList<string> Mentions { get; init; } = [];

    /// <summary>The idempotency key of an earlier notification that this one replaces in place (an escalation's message
    /// edited to show who decided what), instead of a new message. Channels that cannot edit send it as new.</summary>
    public string? Replaces { get; init; }
}

public sealed record NotificationLink(string Label, string Url);

/// <param name="Style">primary, secondary, success or danger.</param>
public sealed record NotificationButton(string Label, string CustomId, string Style);

/// <summary>Where notifications go: the log by default, Discord when configured. A channel must not block or fail its
/// caller because the far side is down: Discord's queues the message durably and returns.</summary>
public interface INotificationChannel
{
    /// <param name="idempotencyKey">The same for every retry or replay of one notification: a channel sends each key once.</param>
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
/// sending instance with the notification's kind and title, which a retried or replayed call repeats exactly. When
/// <c>Baton__PublicUrl</c> is set it links the dashboard too.</summary>
public sealed class SendNotification(INotificationChannel channel, IOptions<BatonOptions> baton) : TaskActivity<Notification, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, Notification notification)
    {
        if (baton.Value.PublicUrl is { Length: > 0 } dashboard && notification.Links.All(l => l.Label != "Dashboard"))
            notification = notification with { Links = [.. notification.Links, new NotificationLink("Dashboard", dashboard.TrimEnd('/') + "/")] };
        await channel.SendAsync(notification, $"{context.InstanceId}:{notification.Kind}:{notification.Title}", CancellationToken.None);
        return true;
    }
}
