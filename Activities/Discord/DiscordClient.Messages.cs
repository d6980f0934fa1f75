using System.Text.Json.Nodes;
using Baton.Failures;

namespace Baton.Activities.Discord;

/// <summary>A message Discord stored: what an edit needs to find it again.</summary>
public sealed record DiscordPostedMessage(string Id, string ChannelId);

public sealed partial class DiscordClient
{
    /// <summary>Posts through a channel webhook and waits for the stored message (<c>?wait=true</c>), so its id is known.</summary>
    public async Task<DiscordPostedMessage> ExecuteWebhookAsync(DiscordWebhook webhook, JsonObject message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(message);
        var call = new Call(HttpMethod.Post, $"webhooks/{Escape(webhook.Id)}/{Escape(webhook.Token)}?wait=true",
            "POST webhooks/{id}/{token}", webhook.Id, $"webhooks/{webhook.Id}/***", message, AsBot: false, webhook.Token);
        return Posted(call, await SendAsync(call, cancellationToken));
    }

    /// <summary>Edits a message its webhook posted.</summary>
    public async Task<DiscordPostedMessage> EditWebhookMessageAsync(
        DiscordWebhook webhook, string messageId, JsonObject message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(message);
        RequireSnowflake(messageId, nameof(messageId));
        var call = new Call(HttpMethod.Patch, $"webhooks/{Escape(webhook.Id)}/{Escape(webhook.Token)}/messages/{messageId}",
            "PATCH webhooks/{id}/{token}/messages/{message}", webhook.Id, $"webhooks/{webhook.Id}/***/messages/{messageId}",
            message, AsBot: false, webhook.Token);
        return Posted(call, await SendAsync(call, cancellationToken));
    }

    /// <summary>
    /// Posts as the bot with <c>nonce</c> and <c>enforce_nonce: true</c>: Discord answers a repeat of the same nonce in the
    /// same channel within a few minutes with the message it already created, so a retried send does not post twice.
    /// </summary>
    /// <param name="nonce">At most 25 characters, the same for every attempt of one message.</param>
    public async Task<DiscordPostedMessage> CreateMessageAsync(string channelId, JsonObject message, string nonce, CancellationToken cancellationToken)
    {
        RequireSnowflake(channelId, nameof(channelId));
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrEmpty(nonce) || nonce.Length > 25)
            throw new ArgumentException("A Discord nonce has 1 to 25 characters.", nameof(nonce));
        var body = (JsonObject)message.DeepClone();
        body["nonce"] = nonce;
        body["enforce_nonce"] = true;
        var call = new Call(HttpMethod.Post, $"channels/{channelId}/messages", "POST channels/{id}/messages", channelId,
            $"channels/{channelId}/messages", body, AsBot: true);
        return Posted(call, await SendAsync(call, cancellationToken));
    }

    /// <summary>Edits a message the bot posted.</summary>
    public async Task<DiscordPostedMessage> EditMessageAsync(string channelId, string messageId, JsonObject message, CancellationToken cancellationToken)
    {
        RequireSnowflake(channelId, nameof(channelId));
        RequireSnowflake(messageId, nameof(messageId));
        ArgumentNullException.ThrowIfNull(message);
        var call = new Call(HttpMethod.Patch, $"channels/{channelId}/messages/{messageId}", "PATCH channels/{id}/messages/{message}", channelId,
            $"channels/{channelId}/messages/{messageId}", message, AsBot: true);
        return Posted(call, await SendAsync(call, cancellationToken));
    }

    /// <summary>Edits the response to an interaction (<c>PATCH /webhooks/{application}/{token}/messages/@original</c>); the
    /// interaction token authorises it, for 15 minutes after the interaction.</summary>
    public async Task EditOriginalInteractionResponseAsync(string applicationId, string interactionToken, JsonObject body, CancellationToken ct)
    {
        RequireSnowflake(applicationId, nameof(applicationId));
        ArgumentException.ThrowIfNullOrEmpty(interactionToken);
        ArgumentNullException.ThrowIfNull(body);
        await SendAsync(new Call(HttpMethod.Patch, $"webhooks/{applicationId}/{Escape(interactionToken)}/messages/@original",
            "PATCH webhooks/{id}/{token}/messages/@original", applicationId, $"webhooks/{applicationId}/***/messages/@original",
            body, AsBot: false, interactionToken), ct);
    }

    /// <summary>Replaces the application's global slash commands with <paramref name="commands"/> (<c>PUT /applications/{id}/commands</c>, as the bot).</summary>
    public async Task BulkOverwriteGlobalCommandsAsync(string applicationId, JsonArray commands, CancellationToken ct)
    {
        RequireSnowflake(applicationId, nameof(applicationId));
        ArgumentNullException.ThrowIfNull(commands);
        await SendAsync(new Call(HttpMethod.Put, $"applications/{applicationId}/commands", "PUT applications/{id}/commands", applicationId,
            $"applications/{applicationId}/commands", commands, AsBot: true), ct);
    }

    static DiscordPostedMessage Posted(Call call, JsonObject? message) =>
        message?["id"]?.GetValue<string>() is { Length: > 0 } id
            ? new DiscordPostedMessage(id, message["channel_id"]?.GetValue<string>() ?? "")
            : throw new DiscordApiException(FailureClass.Permanent, $"Discord {call.Method} {call.Shown} answered without a message id.");

    /// <summary>Discord ids are decimal snowflakes; anything else is a caller's mistake, refused before a request is made.</summary>
    static void RequireSnowflake(string? id, string name)
    {
        if (string.IsNullOrEmpty(id) || id.Length > 20 || !id.All(char.IsAsciiDigit))
            throw new ArgumentException($"'{id}' is not a Discord id (a decimal snowflake).", name);
    }
}
