using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Discord;

/// <summary>
/// How Baton reaches Discord (ARCHITECTURE.md §2.4, docs/discord.md). Outgoing notifications go through a channel
/// webhook (<see cref="WebhookUrl"/>) or a bot (<see cref="BotToken"/> + <see cref="ChannelId"/>); with neither they
/// stay in the log. <see cref="BotToken"/> and the token part of <see cref="WebhookUrl"/> are secrets: never logged,
/// never in an exception or a response.
/// </summary>
public sealed class DiscordOptions
{
    public const string SectionName = "Discord";

    /// <summary>REST root; a test server or the emulator in tests and the demo.</summary>
    [Required]
    public Uri ApiUrl { get; set; } = new("https://discord.com/api/v10");

    /// <summary>A channel webhook, <c>https://discord.com/api/webhooks/{id}/{token}</c>. Wins over the bot when both are set.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>The bot's token (sent as <c>Authorization: Bot …</c>).</summary>
    public string? BotToken { get; set; }

    /// <summary>The channel the bot posts to.</summary>
    public string? ChannelId { get; set; }

    /// <summary>The application (for interactions and slash commands).</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The application's Ed25519 public key, hex (verifies incoming interactions).</summary>
    public string? PublicKey { get; set; }

    /// <summary>The longest a request waits in-process for an exhausted rate-limit bucket to refill; a longer wait is
    /// handed to the durable retry instead (an activity must not sleep for long).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:30")]
    public TimeSpan MaxBucketWait { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Each request's own timeout.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The durable retry of a message that could not be sent.</summary>
    public DiscordDeliveryOptions Delivery { get; set; } = new();

    public bool UsesWebhook => DiscordWebhook.TryParse(WebhookUrl, out _);

    public bool UsesBot => !UsesWebhook && !string.IsNullOrWhiteSpace(BotToken) && !string.IsNullOrWhiteSpace(ChannelId);

    /// <summary>Notifications go to Discord: a usable webhook URL, or a bot token with a channel.</summary>
    public bool SendsNotifications => UsesWebhook || UsesBot;
}

/// <summary>How long a notification keeps trying while Discord is down or limiting: it never blocks or fails the caller.</summary>
public sealed class DiscordDeliveryOptions
{
    /// <summary>The first wait after a failed send; it doubles up to <see cref="MaxRetryInterval"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan FirstRetryInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>After this long the message is given up with one error line; the pipeline never waited for it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>A channel webhook's id and token, parsed from its URL. <see cref="ToString"/> hides the token.</summary>
public sealed record DiscordWebhook(string Id, string Token)
{
    /// <summary>Accepts <c>…/webhooks/{id}/{token}</c> on any host (Discord, a test server), with or without a query.</summary>
    public static bool TryParse(string? url, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out DiscordWebhook? webhook)
    {
        webhook = null;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")) return false;
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.LastIndexOf(segments, "webhooks");
        if (at < 0 || segments.Length != at + 3) return false;
        var (id, token) = (segments[at + 1], segments[at + 2]);
        if (!id.All(char.IsAsciiDigit)) return false;
        webhook = new DiscordWebhook(id, token);
        return true;
    }

    public override string ToString() => $"webhook {Id}";
}
