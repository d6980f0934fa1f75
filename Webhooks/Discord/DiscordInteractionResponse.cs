using System.Text.Json.Serialization;

namespace Baton.Webhooks.Discord;

/// <summary>Discord's interaction callback types (the <c>type</c> of an answer).</summary>
public enum DiscordCallbackType
{
    Pong = 1,
    ChannelMessageWithSource = 4,
    DeferredChannelMessageWithSource = 5,
    DeferredUpdateMessage = 6,
    UpdateMessage = 7,
    Modal = 9,
}

/// <summary>The answer to an interaction, written as the HTTP response body.</summary>
public sealed record DiscordInteractionResponse(
    [property: JsonPropertyName("type")] DiscordCallbackType Type,
    [property: JsonPropertyName("data"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DiscordCallbackData? Data = null)
{
    /// <summary>Message flag: only the person who acted sees it.</summary>
    public const int Ephemeral = 64;

    /// <summary>Discord's limit on message content.</summary>
    public const int MaxContentLength = 2000;

    public static DiscordInteractionResponse Pong() => new(DiscordCallbackType.Pong);

    /// <summary>A message only the person who acted sees; nothing else changes.</summary>
    public static DiscordInteractionResponse EphemeralMessage(string content) =>
        new(DiscordCallbackType.ChannelMessageWithSource, new DiscordCallbackData { Content = Bounded(content), Flags = Ephemeral });

    /// <summary>Replaces the clicked message's text and removes its buttons (its embeds stay).</summary>
    public static DiscordInteractionResponse UpdateMessage(string content) =>
        new(DiscordCallbackType.UpdateMessage, new DiscordCallbackData { Content = Bounded(content), Components = [] });

    /// <summary>A modal with one paragraph text input; its submission comes back with the same <paramref name="customId"/>.</summary>
    public static DiscordInteractionResponse TextModal(string customId, string title, string label, bool required) =>
        new(DiscordCallbackType.Modal, new DiscordCallbackData
        {
            CustomId = customId,
            Title = Truncate(title, 45),
            Components =
            [
                new DiscordActionRow([new DiscordTextInput(ModalTextInputId, Truncate(label, 45), required)]),
            ],
        });

    /// <summary>The custom id of the modal's text input.</summary>
    public const string ModalTextInputId = "text";

    static string Bounded(string content) => Truncate(content, MaxContentLength);

    static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

public sealed record DiscordCallbackData
{
    [JsonPropertyName("content"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Content { get; init; }

    [JsonPropertyName("flags"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Flags { get; init; }

    /// <summary>An empty list removes the message's components.</summary>
    [JsonPropertyName("components"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DiscordActionRow>? Components { get; init; }

    [JsonPropertyName("custom_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomId { get; init; }

    [JsonPropertyName("title"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Title { get; init; }

    /// <summary>Mentions in Baton's answers never ping anyone.</summary>
    [JsonPropertyName("allowed_mentions"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DiscordAllowedMentions? AllowedMentions { get; init; } = DiscordAllowedMentions.None;
}

public sealed record DiscordAllowedMentions([property: JsonPropertyName("parse")] IReadOnlyList<string> Parse)
{
    public static readonly DiscordAllowedMentions None = new([]);
}

public sealed record DiscordActionRow([property: JsonPropertyName("components")] IReadOnlyList<DiscordTextInput> Components)
{
    [JsonPropertyName("type")]
    public int Type => DiscordComponentType.ActionRow;
}

/// <summary>A paragraph text input (style 2), up to 4,000 characters.</summary>
public sealed record DiscordTextInput(
    [property: JsonPropertyName("custom_id")] string CustomId,
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("required")] bool Required)
{
    [JsonPropertyName("type")]
    public int Type => DiscordComponentType.TextInput;

    [JsonPropertyName("style")]
    public int Style => 2;

    [JsonPropertyName("max_length")]
    public int MaxLength => 4000;
}
