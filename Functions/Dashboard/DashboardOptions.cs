namespace Baton.Functions.Dashboard;

/// <summary>
/// The dashboard at <c>/</c>, bound from the <c>Dashboard</c> section. It is on when a way to sign in is configured —
/// GitHub's OAuth web flow (<see cref="ClientId"/> and <see cref="ClientSecret"/>), a trusted forward-auth proxy
/// (<see cref="TrustedHeader"/> and <see cref="TrustedProxies"/>), or both — and at least one member is listed.
/// Who may decide escalations is not set here: it is <c>Pipeline__Approvers__N</c>, the same list the gates use.
/// </summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>GitHub logins allowed to see the dashboard (compared case-insensitively).</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>The GitHub OAuth app's client id.</summary>
    public string? ClientId { get; set; }

    /// <summary>The OAuth app's client secret. Never logged or shown.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>GitHub's web root: the OAuth authorize and token endpoints live under it, and every page links to it
    /// (a GitHub Enterprise Server's root, or the emulator's in tests and the demo). The signed-in user is read from
    /// <c>GitHub__ApiUrl</c>.</summary>
    public Uri OAuthUrl { get; set; } = new("https://github.com");

    /// <summary>A request header carrying the signed-in login, set by a forward-auth proxy (oauth2-proxy's
    /// <c>X-Forwarded-User</c>, for example). Honoured only on requests from <see cref="TrustedProxies"/>.</summary>
    public string? TrustedHeader { get; set; }

    /// <summary>Addresses (<c>10.0.0.5</c>) or networks (<c>10.0.0.0/24</c>) of the proxies allowed to set
    /// <see cref="TrustedHeader"/>.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>How long a sign-in lasts without a visit (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How often an open page refreshes itself.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    internal bool UsesOAuth => !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    internal bool UsesTrustedHeader => !string.IsNullOrWhiteSpace(TrustedHeader) && TrustedProxies.Any(p => !string.IsNullOrWhiteSpace(p));

    internal IEnumerable<string> ConfiguredMembers => Members.Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim());
}
