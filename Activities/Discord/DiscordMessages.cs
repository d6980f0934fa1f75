using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Activities.Notifications;

namespace Baton.Activities.Discord;

/// <summary>
/// Renders a <see cref="Notification"/> as one Discord message (docs/discord.md): an embed (title, detail, main link, a
/// field per link, a colour per kind), mentions in the content with <c>allowed_mentions</c> restricted to exactly those
/// (so text in a title or detail can never ping <c>@everyone</c>), and buttons as action rows. Every text is cut to
/// Discord's limits. Pure; bad mentions or buttons are refused with an <see cref="ArgumentException"/>.
/// </summary>
public static class DiscordMessages
{
    /// <summary>Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).</summary>
    public static class Limits
    {
        public const int Content = 2000;
        public const int Title = 256;
        public const int Description = 4096;
        public const int FieldName = 256;
        public const int FieldValue = 1024;
        public const int Footer = 2048;
        public const int EmbedTotal = 6000;
        public const int Fields = 25;
        public const int ButtonsPerRow = 5;
        public const int Rows = 5;
        public const int ButtonLabel = 80;
        public const int CustomId = 100;
        public const int Url = 512;
    }

    public const int DefaultColour = 0x5865F2;

    static readonly Dictionary<string, int> Colours = new(StringComparer.OrdinalIgnoreCase)
    {
        ["agent-started"] = 0x3498DB,
        ["pr-ready"] = 0x2ECC71,
        ["ci-failed"] = 0xE74C3C,
        ["self-heal-exhausted"] = 0x992D22,
        ["gate-waiting"] = 0xE67E22,
        ["question"] = 0x9B59B6,
        ["escalation"] = 0xF1C40F,
        ["escalation-reminder"] = 0xF1C40F,
        ["escalation-resolved"] = 0x95A5A6,
        ["milestone-complete"] = 0x1ABC9C,
    };

    /// <summary>Button styles by <see cref="NotificationButton.Style"/> (Discord's numbers; link buttons are not used).</summary>
    static readonly Dictionary<string, int> ButtonStyles = new(StringComparer.OrdinalIgnoreCase)
    {
        ["primary"] = 1,
        ["secondary"] = 2,
        ["success"] = 3,
        ["danger"] = 4,
    };

    public static int ColourOf(string kind) => Colours.GetValueOrDefault(kind, DefaultColour);

    public static JsonObject Render(Notification notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var (roles, users) = ParseMentions(notification.Mentions);
        var mentions = string.Join(' ', roles.Select(r => $"<@&{r}>").Concat(users.Select(u => $"<@{u}>")));
        return new JsonObject
        {
            ["content"] = Cut(mentions, Limits.Content),
            ["embeds"] = new JsonArray(Embed(notification)),
            ["allowed_mentions"] = new JsonObject
            {
                ["parse"] = new JsonArray(),
                ["roles"] = new JsonArray([.. roles.Select(r => JsonValue.Create(r))]),
                ["users"] = new JsonArray([.. users.Select(u => JsonValue.Create(u))]),
            },
            // Always present, so an edit that has no buttons removes the old ones (a decided escalation).
            ["components"] = Rows(notification.Buttons),
        };
    }

    static JsonObject Embed(Notification notification)
    {
        var title = Cut(OrDash(notification.Title), Limits.Title);
        var footer = $"Baton · {notification.Kind}";
        var fields = new JsonArray();
        var used = title.Length + footer.Length;
        foreach (var link in notification.Links.Where(l => IsWebUrl(l.Url)).Take(Limits.Fields))
        {
            var name = Cut(OrDash(link.Label), Limits.FieldName);
            // At most 200 + 512 + 4 characters: a value is never cut, so a link is never broken.
            var value = $"[{Cut(EscapeLinkText(OrDash(link.Label)), 200)}]({link.Url})";
            if (used + name.Length + value.Length > Limits.EmbedTotal / 2) break;
            used += name.Length + value.Length;
            fields.Add(new JsonObject { ["name"] = name, ["value"] = value, ["inline"] = true });
        }
        var embed = new JsonObject
        {
            ["title"] = title,
            ["description"] = Cut(OrDash(notification.Detail), Math.Min(Limits.Description, Limits.EmbedTotal - used)),
            ["color"] = ColourOf(notification.Kind),
            ["fields"] = fields,
            ["footer"] = new JsonObject { ["text"] = Cut(footer, Limits.Footer) },
        };
        if (IsWebUrl(notification.Link)) embed["url"] = notification.Link;
        return embed;
    }

    static JsonArray Rows(IReadOnlyList<NotificationButton> buttons)
    {
        if (buttons.Count > Limits.ButtonsPerRow * Limits.Rows)
            throw new ArgumentException($"A Discord message holds at most {Limits.ButtonsPerRow * Limits.Rows} buttons; got {buttons.Count}.", nameof(buttons));
        var rows = new JsonArray();
        foreach (var chunk in buttons.Chunk(Limits.ButtonsPerRow))
            rows.Add(new JsonObject { ["type"] = 1, ["components"] = new JsonArray([.. chunk.Select(Button)]) });
        return rows;
    }

    static JsonObject Button(NotificationButton button)
    {
        if (string.IsNullOrEmpty(button.CustomId) || button.CustomId.Length > Limits.CustomId)
            throw new ArgumentException($"A button's custom id has 1 to {Limits.CustomId} characters; '{button.CustomId}' has {button.CustomId?.Length ?? 0}.", nameof(button));
        if (!ButtonStyles.TryGetValue(button.Style ?? "", out var style))
            throw new ArgumentException($"Button style '{button.Style}' is not one of {string.Join(", ", ButtonStyles.Keys)}.", nameof(button));
        return new JsonObject { ["type"] = 2, ["style"] = style, ["label"] = Cut(OrDash(button.Label), Limits.ButtonLabel), ["custom_id"] = button.CustomId };
    }

    /// <summary><c>role:{id}</c> and <c>user:{id}</c>, ids being Discord snowflakes; duplicates dropped, order kept.</summary>
    static (List<string> Roles, List<string> Users) ParseMentions(IReadOnlyList<string> mentions)
    {
        var (roles, users) = (new List<string>(), new List<string>());
        foreach (var mention in mentions)
        {
            var (list, id) = mention.Split(':') switch
            {
                ["role", var r] when IsSnowflake(r) => (roles, r),
                ["user", var u] when IsSnowflake(u) => (users, u),
                _ => throw new ArgumentException($"Mention '{mention}' is not role:{{id}} or user:{{id}} with a Discord id.", nameof(mentions)),
            };
            if (!list.Contains(id)) list.Add(id);
        }
        // Discord accepts at most 100 ids of each in allowed_mentions.
        return (roles.Take(100).ToList(), users.Take(100).ToList());
    }

    static bool IsSnowflake(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit);

    static bool IsWebUrl(string? url) =>
        url is { Length: > 0 and <= Limits.Url } && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    static string OrDash(string? text) => string.IsNullOrWhiteSpace(text) ? "—" : text;

    static string EscapeLinkText(string label) => label.Replace("[", "(", StringComparison.Ordinal).Replace("]", ")", StringComparison.Ordinal);

    /// <summary>Cuts to at most <paramref name="max"/> UTF-16 units (Discord counts characters), ending with an ellipsis,
    /// never splitting a surrogate pair or a combined character.</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max) return text;
        if (max <= 0) return "";
        var keep = new StringBuilder();
        var elements = StringInfo.GetTextElementEnumerator(text);
        while (elements.MoveNext())
        {
            var element = elements.GetTextElement();
            if (keep.Length + element.Length > max - 1) break;
            keep.Append(element);
        }
        return keep.Append('…').ToString();
    }
}
