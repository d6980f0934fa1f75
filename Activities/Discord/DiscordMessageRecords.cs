using System.Security.Cryptography;
using System.Text;
using Baton.Activities.Notifications;

namespace Baton.Activities.Discord;

/// <summary>Where a message was posted, and under which id: what an edit needs.</summary>
/// <param name="Target"><c>webhook:{id}</c> or <c>channel:{id}</c> (never a token): an edit goes the same way, so a message
/// posted through a webhook is edited through that webhook.</param>
public sealed record DiscordMessageRef(string MessageId, string ChannelId, string Target);

/// <summary>Posts a notification as a new message. <paramref name="Nonce"/> is the bot's dedupe key (≤ 25 characters).</summary>
public sealed record PostDiscordMessageInput(Notification Notification, string Nonce);

/// <summary>Edits <paramref name="Original"/> to show <paramref name="Notification"/> instead.</summary>
public sealed record EditDiscordMessageInput(DiscordMessageRef Original, Notification Notification);

/// <summary>The message an earlier notification's orchestration posted, or why there is none.</summary>
/// <param name="Message">Set when it was posted.</param>
/// <param name="Absent">True when it never will be (never sent, or given up): the replacement is posted as new.</param>
public sealed record DiscordMessageLookup(DiscordMessageRef? Message, bool Absent);

/// <summary>How one notification is delivered: instance ids and nonces are derived from its idempotency key, so every
/// retry of a send names the same instance and the same nonce.</summary>
public static class DiscordMessageKeys
{
    public const string InstanceIdPrefix = "discord-message:";

    /// <summary><c>discord-message:</c> and 32 hex digits of SHA-256 of the key (keys are long and hold instance ids).</summary>
    public static string InstanceIdFor(string idempotencyKey) => InstanceIdPrefix + Hash(idempotencyKey)[..32];

    /// <summary>25 hex digits (Discord's longest nonce) of the same hash: the same for every attempt of one message.</summary>
    public static string NonceFor(string idempotencyKey) => Hash(idempotencyKey)[..25];

    static string Hash(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }
}

/// <summary>The input of <c>DiscordMessageOrchestration</c>: one notification, how to dedupe it and how long to keep trying.</summary>
/// <param name="Nonce">The bot's nonce (<see cref="DiscordMessageKeys.NonceFor"/>).</param>
/// <param name="Replaces">The instance whose message this one edits (<see cref="Notification.Replaces"/>), if any.</param>
public sealed record DiscordMessageRequest(Notification Notification, string Nonce, string? Replaces, DiscordRetry Retry);

/// <summary>The durable retry of one message, read from <see cref="DiscordDeliveryOptions"/> by the sender (so it is in
/// history, never read by the orchestrator).</summary>
public sealed record DiscordRetry(TimeSpan FirstRetryInterval, TimeSpan MaxRetryInterval, TimeSpan GiveUpAfter)
{
    public static DiscordRetry From(DiscordDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.FirstRetryInterval, options.MaxRetryInterval, options.GiveUpAfter);
    }
}

/// <summary>What became of a notification: the message posted or edited, or why it was given up.</summary>
public sealed record DiscordMessageResult(DiscordMessageRef? Message, bool Edited)
{
    /// <summary>Set when it was given up: the last failure (never a secret: the client scrubs its messages).</summary>
    public string? GaveUp { get; init; }
}

/// <summary>The <see cref="DiscordMessageRef.Target"/> names.</summary>
public static class DiscordTargets
{
    public static string Webhook(DiscordWebhook webhook) => $"webhook:{webhook.Id}";

    public static string Channel(string channelId) => $"channel:{channelId}";
}
