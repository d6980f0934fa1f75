using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.DiscordEmulator;

public sealed partial class DiscordEmulator
{
    void MapRoutes(RouteGroupBuilder api)
    {
        api.MapPost("/webhooks/{webhookId}/{token}", ExecuteWebhookAsync);
        api.MapPatch("/webhooks/{webhookId}/{token}/messages/{messageId}", EditWebhookMessageAsync);
        api.MapPost("/channels/{channelId}/messages", CreateMessageAsync);
        api.MapPatch("/channels/{channelId}/messages/{messageId}", EditMessageAsync);
        api.MapPut("/applications/{applicationId}/commands", OverwriteCommandsAsync);
        api.MapGet("/applications/{applicationId}/commands", context => { RequireBot(context, Route(context, "applicationId")); return DiscordEmulatorReplies.JsonAsync(context, store.Commands.DeepClone()); });
        api.MapPost("/interactions/{interactionId}/{token}/callback", InteractionCallbackAsync);
    }

    async Task ExecuteWebhookAsync(HttpContext context)
    {
        var webhook = Webhook(Route(context, "webhookId"), Route(context, "token"));
        var body = await DiscordEmulatorReplies.ReadObjectAsync(context);
        DiscordEmulatorReplies.CheckMessage(body, creating: true);
        // Webhooks take no nonce: each execution is a new message.
        var message = store.Create(webhook.ChannelId, webhook.Id, body, nonce: null, enforceNonce: false);
        if (context.Request.Query["wait"] == "true") await DiscordEmulatorReplies.JsonAsync(context, Json(message));
        else context.Response.StatusCode = 204;
    }

    async Task EditWebhookMessageAsync(HttpContext context)
    {
        var (webhookId, token, messageId) = (Route(context, "webhookId"), Route(context, "token"), Route(context, "messageId"));
        var body = await DiscordEmulatorReplies.ReadObjectAsync(context);
        DiscordEmulatorReplies.CheckMessage(body, creating: false);
        if (messageId == "@original")
        {
            // An interaction response: the application id and the interaction's token stand for the webhook.
            if (webhookId != ApplicationId) throw DiscordEmulatorException.UnknownWebhook();
            var original = store.Edit(store.OriginalMessageOf(token), _ => true, body);
            await DiscordEmulatorReplies.JsonAsync(context, Json(original));
            return;
        }
        var webhook = Webhook(webhookId, token);
        var edited = store.Edit(messageId, m => m.WebhookId == webhook.Id, body);
        await DiscordEmulatorReplies.JsonAsync(context, Json(edited));
    }

    async Task CreateMessageAsync(HttpContext context)
    {
        var channelId = Route(context, "channelId");
        RequireBot(context, channelId);
        var body = await DiscordEmulatorReplies.ReadObjectAsync(context);
        DiscordEmulatorReplies.CheckMessage(body, creating: true);
        var nonce = body["nonce"]?.ToString();
        var enforce = body["enforce_nonce"]?.GetValue<bool>() == true;
        var message = store.Create(channelId, webhookId: null, body, nonce, enforce);
        await DiscordEmulatorReplies.JsonAsync(context, Json(message));
    }

    async Task EditMessageAsync(HttpContext context)
    {
        var (channelId, messageId) = (Route(context, "channelId"), Route(context, "messageId"));
        RequireBot(context, channelId);
        var body = await DiscordEmulatorReplies.ReadObjectAsync(context);
        DiscordEmulatorReplies.CheckMessage(body, creating: false);
        // A bot edits only its own messages in that channel (others: 403 in Discord; unknown here, which is as final).
        var edited = store.Edit(messageId, m => m.ChannelId == channelId && m.WebhookId is null, body);
        await DiscordEmulatorReplies.JsonAsync(context, Json(edited));
    }

    async Task OverwriteCommandsAsync(HttpContext context)
    {
        var applicationId = Route(context, "applicationId");
        RequireBot(context, applicationId);
        if (applicationId != ApplicationId) throw new DiscordEmulatorException(403, 50001, "Missing Access");
        var commands = await DiscordEmulatorReplies.ReadAsync(context) as JsonArray
            ?? throw DiscordEmulatorException.InvalidForm("commands", "Must be an array.");
        if (commands.Count > 100) throw DiscordEmulatorException.InvalidForm("commands", "Must be 100 or fewer in length.");
        await DiscordEmulatorReplies.JsonAsync(context, store.ReplaceCommands(commands, applicationId));
    }

    async Task InteractionCallbackAsync(HttpContext context)
    {
        var body = await DiscordEmulatorReplies.ReadObjectAsync(context);
        var type = body["type"]?.GetValue<int>() ?? throw DiscordEmulatorException.InvalidForm("type", "This field is required");
        if (type is not (1 or 4 or 5 or 6 or 7 or 8 or 9)) throw DiscordEmulatorException.InvalidForm("type", "Value must be one of (1, 4, 5, 6, 7, 8, 9).");
        if (body["data"] is JsonObject data && type is 4 or 7) DiscordEmulatorReplies.CheckMessage(data, creating: type == 4);
        store.Respond(Route(context, "interactionId"), Route(context, "token"), type, body, ChannelId, ApplicationId);
        context.Response.StatusCode = 204;
    }

    EmulatedWebhook Webhook(string id, string token)
    {
        EmulatedWebhook? webhook;
        lock (gate) webhook = webhooks.FirstOrDefault(w => w.Id == id);
        if (webhook is null) throw DiscordEmulatorException.UnknownWebhook();
        if (webhook.Token != token) throw DiscordEmulatorException.InvalidWebhookToken();
        return webhook;
    }

    /// <summary>The bot's token must be sent as <c>Authorization: Bot …</c>; a channel must be the bot's.</summary>
    void RequireBot(HttpContext context, string majorId)
    {
        if (context.Request.Headers.Authorization.ToString() != "Bot " + BotToken) throw DiscordEmulatorException.Unauthorized();
        if (context.Request.RouteValues.ContainsKey("channelId") && majorId != ChannelId)
            throw new DiscordEmulatorException(404, 10003, "Unknown Channel");
    }

    static string Route(HttpContext context, string name) => context.Request.RouteValues[name]?.ToString() ?? "";

    JsonObject Json(EmulatedDiscordMessage message)
    {
        var json = (JsonObject)message.Body.DeepClone();
        json["id"] = message.Id;
        json["channel_id"] = message.ChannelId;
        json["type"] = 0;
        json["timestamp"] = message.CreatedAt.ToString("O", CultureInfo.InvariantCulture);
        json["edited_timestamp"] = message.EditedAt?.ToString("O", CultureInfo.InvariantCulture);
        json["author"] = new JsonObject { ["id"] = message.WebhookId ?? ApplicationId, ["username"] = "Baton", ["bot"] = true };
        json["tts"] ??= false;
        json["content"] ??= "";
        json["embeds"] ??= new JsonArray();
        json["components"] ??= new JsonArray();
        json["mentions"] = new JsonArray();
        json["mention_roles"] = new JsonArray();
        json["mention_everyone"] = false;
        json["pinned"] = false;
        json["attachments"] = new JsonArray();
        json.Remove("allowed_mentions");
        if (message.WebhookId is not null) json["webhook_id"] = message.WebhookId;
        if (message.Nonce is not null) json["nonce"] = message.Nonce;
        return json;
    }
}
