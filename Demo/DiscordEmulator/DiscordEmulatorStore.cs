using System.Globalization;
using System.Text.Json.Nodes;

namespace Baton.Demo.DiscordEmulator;

/// <summary>A message as the emulator holds it: its current body and every version before (tests read the edits).</summary>
/// <param name="WebhookId">Set when a webhook (or an interaction response) posted it; null for the bot's messages.</param>
/// <param name="Nonce">The nonce it was created with, if any.</param>
public sealed record EmulatedDiscordMessage(string Id, string ChannelId, string? WebhookId, string? Nonce, JsonObject Body, DateTimeOffset CreatedAt)
{
    /// <summary>Earlier bodies, oldest first; empty when never edited.</summary>
    public IReadOnlyList<JsonObject> Versions { get; init; } = [];

    public DateTimeOffset? EditedAt { get; init; }

    public string? Content => Body["content"]?.GetValue<string>();

    /// <summary>The first embed's title, or null.</summary>
    public string? Title => Body["embeds"]?[0]?["title"]?.GetValue<string>();
}

/// <summary>An interaction response posted to <c>/interactions/{id}/{token}/callback</c>.</summary>
public sealed record EmulatedInteractionCallback(string InteractionId, int Type, JsonObject Body);

/// <summary>The emulator's state: messages by channel, nonces, interactions, the application's commands. Thread-safe.</summary>
sealed class DiscordEmulatorStore(TimeProvider clock)
{
    readonly Lock gate = new();
    readonly List<EmulatedDiscordMessage> messages = [];
    readonly Dictionary<string, (string Token, string? OriginalMessageId, bool Acknowledged)> interactions = [];
    readonly List<EmulatedInteractionCallback> callbacks = [];
    long nextId = 1_200_000_000_000_000_000;

    public JsonArray Commands { get; private set; } = [];

    /// <summary>How long a nonce with <c>enforce_nonce</c> names its message (Discord: "within the past few minutes").</summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(5);

    public IReadOnlyList<EmulatedDiscordMessage> Messages
    {
        get { lock (gate) return [.. messages]; }
    }

    public IReadOnlyList<EmulatedInteractionCallback> Callbacks
    {
        get { lock (gate) return [.. callbacks]; }
    }

    public string NewId()
    {
        lock (gate) return (++nextId).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Creates a message, or — with <paramref name="enforceNonce"/> and a nonce this channel saw within the
    /// window — returns the message created with it.</summary>
    public EmulatedDiscordMessage Create(string channelId, string? webhookId, JsonObject body, string? nonce, bool enforceNonce)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (enforceNonce && nonce is not null
                && messages.LastOrDefault(m => m.ChannelId == channelId && m.Nonce == nonce && now - m.CreatedAt <= NonceWindow) is { } existing)
                return existing;
            var message = new EmulatedDiscordMessage(NewId(), channelId, webhookId, nonce, Stored(body), now);
            messages.Add(message);
            return message;
        }
    }

    /// <summary>Applies an edit: fields present in <paramref name="patch"/> replace the message's; others stay.</summary>
    public EmulatedDiscordMessage Edit(string messageId, Func<EmulatedDiscordMessage, bool> mayEdit, JsonObject patch)
    {
        lock (gate)
        {
            var at = messages.FindIndex(m => m.Id == messageId);
            if (at < 0 || !mayEdit(messages[at])) throw DiscordEmulatorException.UnknownMessage();
            var current = messages[at];
            var body = (JsonObject)current.Body.DeepClone();
            foreach (var (name, value) in Stored(patch)) body[name] = value?.DeepClone();
            var edited = current with { Body = body, Versions = [.. current.Versions, current.Body], EditedAt = clock.GetUtcNow() };
            messages[at] = edited;
            return edited;
        }
    }

    /// <summary>An interaction Discord sent (and the message its component was on, if any): only these may be answered.</summary>
    public void TrackInteraction(string interactionId, string token, string? messageId)
    {
        lock (gate) interactions[interactionId] = (token, messageId, false);
    }

    /// <summary>Records the one allowed response to an interaction; a message response becomes its original message.</summary>
    public void Respond(string interactionId, string token, int type, JsonObject body, string channelId, string applicationId)
    {
        lock (gate)
        {
            if (!interactions.TryGetValue(interactionId, out var interaction) || interaction.Token != token)
                throw new DiscordEmulatorException(404, 10062, "Unknown interaction");
            if (interaction.Acknowledged)
                throw new DiscordEmulatorException(400, 40060, "Interaction has already been acknowledged.");
            var original = interaction.OriginalMessageId;
            if (type is 4 or 5)
                original = Create(channelId, applicationId, body["data"] as JsonObject ?? [], nonce: null, enforceNonce: false).Id;
            interactions[interactionId] = (token, original, true);
            callbacks.Add(new EmulatedInteractionCallback(interactionId, type, (JsonObject)body.DeepClone()));
            if (type == 7 && original is not null && body["data"] is JsonObject update) Edit(original, _ => true, update);
        }
    }

    /// <summary>The original message of the acknowledged interaction holding <paramref name="token"/>.</summary>
    public string OriginalMessageOf(string token)
    {
        lock (gate)
            return interactions.Values.FirstOrDefault(i => i.Token == token && i.Acknowledged).OriginalMessageId
                ?? throw DiscordEmulatorException.UnknownMessage();
    }

    public JsonArray ReplaceCommands(JsonArray commands, string applicationId)
    {
        var stored = new JsonArray();
        foreach (var command in commands.OfType<JsonObject>())
        {
            var copy = (JsonObject)command.DeepClone();
            copy["id"] = NewId();
            copy["application_id"] = applicationId;
            copy["version"] = NewId();
            stored.Add(copy);
        }
        lock (gate) Commands = stored;
        return (JsonArray)stored.DeepClone();
    }

    /// <summary>What a message keeps of a create or edit body (not the request-only fields).</summary>
    static JsonObject Stored(JsonObject body)
    {
        var copy = (JsonObject)body.DeepClone();
        copy.Remove("enforce_nonce");
        copy.Remove("nonce");
        return copy;
    }
}
