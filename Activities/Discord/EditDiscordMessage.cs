using Baton.Failures;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Discord;

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
