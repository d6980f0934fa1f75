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
