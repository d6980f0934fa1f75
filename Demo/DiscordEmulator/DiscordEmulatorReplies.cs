using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Baton.Demo.DiscordEmulator;

/// <summary>A refusal in Discord's shape: the HTTP status, Discord's JSON error code and its message.</summary>
sealed class DiscordEmulatorException(int status, int code, string message, JsonObject? errors = null) : Exception(message)
{
    public int Status { get; } = status;
    public int Code { get; } = code;
    public JsonObject? Errors { get; } = errors;

    public static DiscordEmulatorException UnknownMessage() => new(404, 10008, "Unknown Message");

    public static DiscordEmulatorException UnknownWebhook() => new(404, 10015, "Unknown Webhook");

    public static DiscordEmulatorException InvalidWebhookToken() => new(401, 50027, "Invalid Webhook Token");

    public static DiscordEmulatorException Unauthorized() => new(401, 0, "401: Unauthorized");

    public static DiscordEmulatorException InvalidForm(string path, string message) =>
        new(400, 50035, "Invalid Form Body", new JsonObject { [path] = new JsonObject { ["_errors"] = new JsonArray(new JsonObject { ["code"] = "BASE_TYPE_MAX_LENGTH", ["message"] = message }) } });
}

/// <summary>How the emulator answers, and the message checks Discord makes (lengths, counts, an empty message).</summary>
static class DiscordEmulatorReplies
{
    public static async Task JsonAsync(HttpContext context, JsonNode body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }

    public static Task ErrorAsync(HttpContext context, DiscordEmulatorException refusal)
    {
        var body = new JsonObject { ["message"] = refusal.Message, ["code"] = refusal.Code };
        if (refusal.Errors is not null) body["errors"] = refusal.Errors;
        return JsonAsync(context, body, refusal.Status);
    }

    public static async Task<JsonNode> ReadAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) ?? throw new DiscordEmulatorException(400, 50109, "The request body contains invalid JSON.");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new DiscordEmulatorException(400, 50109, "The request body contains invalid JSON.");
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadAsync(context) as JsonObject ?? throw new DiscordEmulatorException(400, 50109, "The request body contains invalid JSON.");

    /// <summary>Discord's checks on a message create or edit body.</summary>
    public static void CheckMessage(JsonObject body, bool creating)
    {
        var content = body["content"]?.GetValue<string>();
        var embeds = body["embeds"] as JsonArray ?? [];
        var components = body["components"] as JsonArray ?? [];
        if (creating && string.IsNullOrEmpty(content) && embeds.Count == 0 && components.Count == 0)
            throw new DiscordEmulatorException(400, 50006, "Cannot send an empty message");
        MaxLength(content, 2000, "content");
        if (body["nonce"]?.ToString() is { Length: > 25 }) throw DiscordEmulatorException.InvalidForm("nonce", "Must be 25 or fewer in length.");
        if (embeds.Count > 10) throw DiscordEmulatorException.InvalidForm("embeds", "Must be 10 or fewer in length.");
        for (var i = 0; i < embeds.Count; i++) CheckEmbed(embeds[i] as JsonObject ?? [], $"embeds.{i}");
        if (components.Count > 5) throw DiscordEmulatorException.InvalidForm("components", "Must be 5 or fewer in length.");
        for (var i = 0; i < components.Count; i++)
        {
            var buttons = components[i]?["components"] as JsonArray ?? [];
            if (components[i]?["type"]?.GetValue<int>() != 1 || buttons.Count is < 1 or > 5)
                throw DiscordEmulatorException.InvalidForm($"components.{i}.components", "An action row holds 1 to 5 components.");
            foreach (var button in buttons)
            {
                MaxLength(button?["label"]?.GetValue<string>(), 80, $"components.{i}.components.label");
                MaxLength(button?["custom_id"]?.GetValue<string>(), 100, $"components.{i}.components.custom_id");
            }
        }
    }

    static void CheckEmbed(JsonObject embed, string path)
    {
        var title = embed["title"]?.GetValue<string>();
        var description = embed["description"]?.GetValue<string>();
        var footer = embed["footer"]?["text"]?.GetValue<string>();
        var fields = embed["fields"] as JsonArray ?? [];
        MaxLength(title, 256, path + ".title");
        MaxLength(description, 4096, path + ".description");
        MaxLength(footer, 2048, path + ".footer.text");
        if (fields.Count > 25) throw DiscordEmulatorException.InvalidForm(path + ".fields", "Must be 25 or fewer in length.");
        var total = (title?.Length ?? 0) + (description?.Length ?? 0) + (footer?.Length ?? 0);
        foreach (var field in fields)
        {
            var (name, value) = (field?["name"]?.GetValue<string>() ?? "", field?["value"]?.GetValue<string>() ?? "");
            MaxLength(name, 256, path + ".fields.name");
            MaxLength(value, 1024, path + ".fields.value");
            total += name.Length + value.Length;
        }
        if (total > 6000) throw DiscordEmulatorException.InvalidForm(path, "Embed size exceeds maximum size of 6000");
    }

    static void MaxLength(string? text, int max, string path)
    {
        if (text is not null && text.Length > max) throw DiscordEmulatorException.InvalidForm(path, $"Must be {max} or fewer in length.");
    }
}
