using Baton.Failures;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Discord;

/// <summary>
/// Posts one notification as a new Discord message, through the webhook or as the bot. The bot's send carries the
/// notification's nonce with <c>enforce_nonce</c>, so a repeat within Discord's window returns the same message; a
/// webhook has no nonce (docs/discord.md, "Idempotency").
/// </summary>
public sealed class PostDiscordMessage(DiscordClient discord, IOptions<DiscordOptions> options) : TaskActivity<PostDiscordMessageInput, DiscordMessageRef>
{
    public override async Task<DiscordMessageRef> RunAsync(TaskActivityContext context, PostDiscordMessageInput input)
    {
        var settings = options.Value;
        var message = DiscordMessages.Render(input.Notification);
        if (DiscordWebhook.TryParse(settings.WebhookUrl, out var webhook))
        {
            var posted = await discord.ExecuteWebhookAsync(webhook, message, CancellationToken.None);
            return new DiscordMessageRef(posted.Id, posted.ChannelId, DiscordTargets.Webhook(webhook));
        }
        if (settings.UsesBot)
        {
            var posted = await discord.CreateMessageAsync(settings.ChannelId!, message, input.Nonce, CancellationToken.None);
            return new DiscordMessageRef(posted.Id, posted.ChannelId, DiscordTargets.Channel(settings.ChannelId!));
        }
        throw new DiscordApiException(FailureClass.AuthFailed, "Discord is not configured (Discord__WebhookUrl, or Discord__BotToken with Discord__ChannelId).");
    }
}

/// <summary>Edits a message posted earlier, the way it was posted.</summary>
public sealed class EditDiscordMessage(DiscordClient discord, IOptions<DiscordOptions> options) : TaskActivity<EditDiscordMessageInput, DiscordMessageRef>
{
    public override async Task<DiscordMessageRef> RunAsync(TaskActivityContext context, EditDiscordMessageInput input)
    {
        var settings = options.Value;
        var (original, message) = (input.Original, DiscordMessages.Render(input.Notification));
        if (DiscordWebhook.TryParse(settings.WebhookUrl, out var webhook) && original.Target == DiscordTargets.Webhook(webhook))
        {
            await discord.EditWebhookMessageAsync(webhook, original.MessageId, message, CancellationToken.None);
            return original;
        }
        if (!string.IsNullOrWhiteSpace(settings.BotToken) && original.Target == DiscordTargets.Channel(original.ChannelId))
        {
            await discord.EditMessageAsync(original.ChannelId, original.MessageId, message, CancellationToken.None);
            return original;
        }
        throw new DiscordApiException(FailureClass.Permanent,
            $"Discord message {original.MessageId} was posted through {original.Target}, which this configuration cannot edit.");
    }
}

/// <summary>The <see cref="DiscordMessageRef.Target"/> names.</summary>
public static class DiscordTargets
{
    public static string Webhook(DiscordWebhook webhook) => $"webhook:{webhook.Id}";

    public static string Channel(string channelId) => $"channel:{channelId}";
}
