using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Webhooks.Discord;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace Baton.Demo.DiscordEmulator;

/// <summary>A Discord user (or guild member) who clicks, types and runs commands.</summary>
/// <param name="RoleIds">The member's roles; empty for a direct message.</param>
/// <param name="InGuild">True: sent as <c>member</c> (with roles and nick); false: as <c>user</c> (a DM).</param>
public sealed record DiscordPerson(string UserId, string Name, IReadOnlyList<string> RoleIds, bool InGuild = true);

/// <summary>
/// Plays Discord's side of the interactions endpoint: holds an Ed25519 key pair of its own (configure Baton's
/// <c>Discord__PublicKey</c> with <see cref="PublicKeyHex"/>), builds interactions the way Discord shapes them, signs them
/// over timestamp + raw body and POSTs them to Baton. Tests and the demo use it; it sends whatever it is given, so tests
/// can also send bodies that are malformed, mis-signed or stale.
/// </summary>
public sealed class InteractionSender(HttpClient http, Uri interactionsUrl, DiscordApplicationKey? key = null, TimeProvider? clock = null)
{
    readonly DiscordApplicationKey key = key ?? DiscordApplicationKey.Generate();
    readonly TimeProvider clock = clock ?? TimeProvider.System;
    long sequence;

    /// <summary>The key to configure as <c>Discord__PublicKey</c>.</summary>
    public string PublicKeyHex => key.PublicKeyHex;

    public string ApplicationId { get; init; } = "1100000000000000001";

    public Task<HttpResponseMessage> PingAsync() => SendAsync(Interaction(DiscordInteractionType.Ping, who: null, data: null));

    /// <summary>A click on a button whose <c>custom_id</c> is <paramref name="customId"/>.</summary>
    public Task<HttpResponseMessage> ClickAsync(string customId, DiscordPerson who) =>
        SendAsync(ButtonClick(customId, who));

    /// <summary>A modal submitted with <paramref name="text"/> in its one text input.</summary>
    public Task<HttpResponseMessage> SubmitModalAsync(string customId, string text, DiscordPerson who) =>
        SendAsync(ModalSubmit(customId, text, who));

    /// <summary><c>/{command} {subcommand}</c>.</summary>
    public Task<HttpResponseMessage> CommandAsync(string command, string subcommand, DiscordPerson who) =>
        SendAsync(SlashCommand(command, subcommand, who));

    public string ButtonClick(string customId, DiscordPerson who) => Interaction(DiscordInteractionType.MessageComponent, who,
        new JsonObject { ["custom_id"] = customId, ["component_type"] = DiscordComponentType.Button });

    /// <summary>A modal submission as Discord nests it: an action row around the text input.</summary>
    public string ModalSubmit(string customId, string text, DiscordPerson who) => Interaction(DiscordInteractionType.ModalSubmit, who,
        new JsonObject
        {
            ["custom_id"] = customId,
            ["components"] = new JsonArray(new JsonObject
            {
                ["type"] = DiscordComponentType.ActionRow,
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = DiscordComponentType.TextInput,
                    ["custom_id"] = DiscordInteractionResponse.ModalTextInputId,
                    ["value"] = text,
                }),
            }),
        });

    public string SlashCommand(string command, string subcommand, DiscordPerson who) => Interaction(DiscordInteractionType.ApplicationCommand, who,
        new JsonObject
        {
            ["id"] = "1200000000000000001",
            ["name"] = command,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = subcommand, ["type"] = 1 }),
        });

    /// <summary>Signs <paramref name="json"/> as of now and POSTs it.</summary>
    public Task<HttpResponseMessage> SendAsync(string json) => SendAsync(Encoding.UTF8.GetBytes(json), Timestamp(clock.GetUtcNow()));

    /// <summary>POSTs <paramref name="body"/> with a signature over <paramref name="timestamp"/> + body.</summary>
    public Task<HttpResponseMessage> SendAsync(byte[] body, string timestamp) => SendSignedAsync(body, timestamp, Sign(body, timestamp));

    /// <summary>POSTs <paramref name="body"/> with exactly these headers (null: header left out), signed or not.</summary>
    public async Task<HttpResponseMessage> SendSignedAsync(byte[] body, string? timestamp, string? signature, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, interactionsUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (timestamp is not null) request.Headers.TryAddWithoutValidation(DiscordSignature.TimestampHeader, timestamp);
        if (signature is not null) request.Headers.TryAddWithoutValidation(DiscordSignature.SignatureHeader, signature);
        return await http.SendAsync(request);
    }

    public string Sign(byte[] body, string timestamp) => key.Sign(body, timestamp);

    /// <summary>Unix seconds, as Discord writes <c>X-Signature-Timestamp</c>.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    string Interaction(DiscordInteractionType type, DiscordPerson? who, JsonObject? data)
    {
        var interaction = new JsonObject
        {
            ["id"] = (1300000000000000000 + Interlocked.Increment(ref sequence)).ToString(CultureInfo.InvariantCulture),
            ["application_id"] = ApplicationId,
            ["type"] = (int)type,
            ["token"] = "emulated-interaction-token",
            ["version"] = 1,
        };
        if (data is not null) interaction["data"] = data;
        if (who is not null && who.InGuild)
        {
            interaction["guild_id"] = "1400000000000000001";
            interaction["member"] = new JsonObject
            {
                ["user"] = User(who),
                ["nick"] = null,
                ["roles"] = new JsonArray([.. who.RoleIds.Select(r => (JsonNode)JsonValue.Create(r))]),
            };
        }
        else if (who is not null)
        {
            interaction["user"] = User(who);
        }
        return interaction.ToJsonString();
    }

    static JsonObject User(DiscordPerson who) => new()
    {
        ["id"] = who.UserId,
        ["username"] = who.Name.ToLowerInvariant().Replace(' ', '_'),
        ["global_name"] = who.Name,
    };
}

/// <summary>
/// An application's Ed25519 key pair, generated here (Discord keeps the real one's private half). Made before Baton
/// starts, so Baton can be configured with <see cref="PublicKeyHex"/> before the sender knows Baton's address.
/// </summary>
public sealed class DiscordApplicationKey
{
    readonly Ed25519PrivateKeyParameters privateKey;

    DiscordApplicationKey(Ed25519PrivateKeyParameters privateKey) => this.privateKey = privateKey;

    public static DiscordApplicationKey Generate() => new(new Ed25519PrivateKeyParameters(new SecureRandom()));

    /// <summary>The public half as Discord shows it (64 hex digits): Baton's <c>Discord__PublicKey</c>.</summary>
    public string PublicKeyHex => Convert.ToHexStringLower(privateKey.GeneratePublicKey().GetEncoded());

    /// <summary>The <c>X-Signature-Ed25519</c> value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public string Sign(ReadOnlySpan<byte> body, string timestamp) => DiscordSignature.Sign(body, timestamp, privateKey);
}
