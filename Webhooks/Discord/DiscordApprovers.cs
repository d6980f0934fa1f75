namespace Baton.Webhooks.Discord;

public enum DiscordPrincipalKind
{
    User,
    Role,
}

/// <summary>One allow-list entry: a Discord user or role, and the GitHub login it stands for when a gate needs one.</summary>
public sealed record DiscordApprover(DiscordPrincipalKind Kind, string Id, string? GitHubLogin);

/// <summary>Who may act on Discord (<c>Discord__Approvers__N</c>). Anyone not listed is refused and nothing changes.</summary>
public sealed class DiscordApprovers
{
    readonly IReadOnlyList<DiscordApprover> entries;

    DiscordApprovers(IReadOnlyList<DiscordApprover> entries) => this.entries = entries;

    public IReadOnlyList<DiscordApprover> All => entries;

    /// <summary>Parses <c>user:ID</c>, <c>role:ID</c> or a bare user id, each optionally followed by <c>=githubLogin</c>
    /// (<c>user:123=octocat</c>). Blank entries are skipped (a sample file lists empty keys).</summary>
    /// <exception cref="FormatException">An entry is not one of these; the message names it by position.</exception>
    public static DiscordApprovers Parse(IEnumerable<string?> values)
    {
        var parsed = new List<DiscordApprover>();
        var index = 0;
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
                parsed.Add(ParseEntry(value.Trim()) ?? throw new FormatException(
                    $"Discord:Approvers:{index} must be user:ID, role:ID or an ID (a Discord snowflake), optionally followed by =githubLogin."));
            index++;
        }
        return new DiscordApprovers(parsed);
    }

    static DiscordApprover? ParseEntry(string value)
    {
        var (principal, login) = value.Split('=', 2) is [var p, var l] ? (p.Trim(), l.Trim()) : (value, null);
        if (login is not null && !IsGitHubLogin(login)) return null;
        var (kind, id) = principal.Split(':', 2) switch
        {
            ["user", var i] => (DiscordPrincipalKind.User, i),
            ["role", var i] => (DiscordPrincipalKind.Role, i),
            [var i] => (DiscordPrincipalKind.User, i),
            _ => (DiscordPrincipalKind.User, ""),
        };
        return IsSnowflake(id) ? new DiscordApprover(kind, id, login) : null;
    }

    /// <summary>The entry that lets this person act — their own user entry first, then one of their roles — or null.</summary>
    public DiscordApprover? Find(string userId, IReadOnlyCollection<string> roleIds) =>
        entries.FirstOrDefault(e => e.Kind == DiscordPrincipalKind.User && e.Id == userId)
        ?? entries.FirstOrDefault(e => e.Kind == DiscordPrincipalKind.Role && roleIds.Contains(e.Id));

    /// <summary>Discord ids are 64-bit integers written in decimal.</summary>
    public static bool IsSnowflake(string id) => id.Length is > 0 and <= 20 && id.All(char.IsAsciiDigit) && ulong.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _);

    static bool IsGitHubLogin(string login) =>
        login.Length is > 0 and <= 39 && login.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') && !login.StartsWith('-');
}
