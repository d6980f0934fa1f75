using System.Text.Json;
using System.Text.Json.Serialization;

namespace Baton.Webhooks.Discord;

/// <summary>Discord's interaction types (the <c>type</c> field of an interaction).</summary>
public enum DiscordInteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

/// <summary>Component types Baton sends and reads back.</summary>
public static class DiscordComponentType
{
    public const int ActionRow = 1;
    public const int Button = 2;
    public const int TextInput = 4;

    /// <summary>A label wrapping one component in a modal (newer modals nest the text input in it).</summary>
    public const int Label = 18;
}

/// <summary>The fields of an interaction Baton reads; everything else Discord sends is ignored.</summary>
public sealed record DiscordInteractionPayload(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("application_id")] string? ApplicationId,
    [property: JsonPropertyName("guild_id")] string? GuildId,
    [property: JsonPropertyName("member")] DiscordMember? Member,
    [property: JsonPropertyName("user")] DiscordUser? User,
    [property: JsonPropertyName("data")] DiscordInteractionData? Data);

/// <summary>A guild member (interactions in a server).</summary>
public sealed record DiscordMember(
    [property: JsonPropertyName("user")] DiscordUser? User,
    [property: JsonPropertyName("nick")] string? Nick,
    [property: JsonPropertyName("roles")] IReadOnlyList<string>? Roles);

public sealed record DiscordUser(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("username")] string? Username,
    [property: JsonPropertyName("global_name")] string? GlobalName);

/// <summary>The union of what commands, components and modal submissions carry in <c>data</c>.</summary>
public sealed record DiscordInteractionData(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("options")] IReadOnlyList<DiscordCommandOption>? Options,
    [property: JsonPropertyName("custom_id")] string? CustomId,
    [property: JsonPropertyName("component_type")] int? ComponentType,
    [property: JsonPropertyName("components")] IReadOnlyList<DiscordComponent>? Components);

public sealed record DiscordCommandOption(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("options")] IReadOnlyList<DiscordCommandOption>? Options);

/// <summary>A submitted modal's component tree: action rows or labels around text inputs.</summary>
public sealed record DiscordComponent(
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("custom_id")] string? CustomId,
    [property: JsonPropertyName("value")] string? Value,
    [property: JsonPropertyName("components")] IReadOnlyList<DiscordComponent>? Components,
    [property: JsonPropertyName("component")] DiscordComponent? Component);

/// <summary>The person who acted: the ids the allow-list is checked against and the name shown to others.</summary>
public sealed record DiscordActor(string UserId, IReadOnlyList<string> RoleIds, string DisplayName);

/// <summary>A verified interaction, parsed into what Baton acts on.</summary>
public abstract record DiscordInteraction(string Id)
{
    public sealed record Ping(string Id) : DiscordInteraction(Id);

    /// <summary>A button (or other component) was used; <paramref name="CustomId"/> says which.</summary>
    public sealed record Component(string Id, DiscordActor Actor, string CustomId) : DiscordInteraction(Id);

    /// <summary>A modal was submitted; <paramref name="Text"/> is its (first) text input, possibly empty.</summary>
    public sealed record ModalSubmit(string Id, DiscordActor Actor, string CustomId, string Text) : DiscordInteraction(Id);

    /// <summary>A slash command: <c>/{Name} {Subcommand}</c>.</summary>
    public sealed record Command(string Id, DiscordActor Actor, string Name, string? Subcommand) : DiscordInteraction(Id);

    /// <summary>An interaction type Baton offers nothing for (autocomplete, or a type newer than this code).</summary>
    public sealed record Unsupported(string Id, int Type) : DiscordInteraction(Id);
}

/// <summary>
/// Parses a verified body into a <see cref="DiscordInteraction"/>. A body that is not a well-formed interaction — not
/// JSON, a required field missing for its type — throws <see cref="JsonException"/>, which intake answers with 400.
/// </summary>
public static class DiscordInteractionParser
{
    static readonly JsonSerializerOptions Options = new() { MaxDepth = 32 };

    /// <exception cref="JsonException">The body is not a well-formed interaction.</exception>
    public static DiscordInteraction Parse(ReadOnlySpan<byte> body)
    {
        var payload = JsonSerializer.Deserialize<DiscordInteractionPayload>(body, Options)
            ?? throw new JsonException("The body must be an interaction object, not null.");
        var id = Required(payload.Id, "id");
        return (DiscordInteractionType)payload.Type switch
        {
            DiscordInteractionType.Ping => new DiscordInteraction.Ping(id),
            DiscordInteractionType.MessageComponent => new DiscordInteraction.Component(id, ActorOf(payload),
                Required(DataOf(payload).CustomId, "data.custom_id")),
            DiscordInteractionType.ModalSubmit => new DiscordInteraction.ModalSubmit(id, ActorOf(payload),
                Required(DataOf(payload).CustomId, "data.custom_id"), TextOf(DataOf(payload).Components) ?? ""),
            DiscordInteractionType.ApplicationCommand => new DiscordInteraction.Command(id, ActorOf(payload),
                Required(DataOf(payload).Name, "data.name"), SubcommandOf(DataOf(payload).Options)),
            _ => new DiscordInteraction.Unsupported(id, payload.Type),
        };
    }

    /// <summary>In a server the person is <c>member.user</c> with the member's roles; in a DM, <c>user</c>, with none.</summary>
    static DiscordActor ActorOf(DiscordInteractionPayload payload)
    {
        var user = payload.Member?.User ?? payload.User ?? throw new JsonException("The interaction names no user (member.user or user).");
        var userId = Required(user.Id, "user.id");
        var name = FirstNonBlank(payload.Member?.Nick, user.GlobalName, user.Username) ?? userId;
        return new DiscordActor(userId, payload.Member?.Roles?.Where(r => r is not null).ToList() ?? [], name);
    }

    static DiscordInteractionData DataOf(DiscordInteractionPayload payload) =>
        payload.Data ?? throw new JsonException("The interaction has no data.");

    /// <summary>The first text input's value, wherever the modal nested it (an action row, or a label).</summary>
    static string? TextOf(IReadOnlyList<DiscordComponent>? components)
    {
        foreach (var component in components ?? [])
        {
            if (component is null) continue;
            if (component.Type == DiscordComponentType.TextInput) return component.Value;
            var nested = TextOf(component.Components) ?? (component.Component is { } inner ? TextOf([inner]) : null);
            if (nested is not null) return nested;
        }
        return null;
    }

    /// <summary>Type 1 is a subcommand; its name is the first option's.</summary>
    static string? SubcommandOf(IReadOnlyList<DiscordCommandOption>? options) =>
        options?.FirstOrDefault(o => o is { Type: 1 })?.Name;

    static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw new JsonException($"The interaction's {field} is missing.") : value;

    static string? FirstNonBlank(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
