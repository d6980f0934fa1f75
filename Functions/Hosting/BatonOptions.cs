namespace Baton.Hosting;

/// <summary>Host-wide settings, bound from the <c>Baton</c> section (<c>Baton__ApiKeys__0</c>, …).</summary>
public sealed class BatonOptions
{
    public const string SectionName = "Baton";

    /// <summary>Keys accepted by the management API. Several may be active at once so a key can be rotated.
    /// None: the API only accepts callers on this machine.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Where people reach this host (<c>https://baton.example.com</c>): messages link to its dashboard. None: no
    /// dashboard links.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>A key shorter than this is accepted but reported at start-up as weak.</summary>
    public const int RecommendedKeyLength = 16;

    internal IEnumerable<string> ConfiguredKeys => ApiKeys.Where(k => !string.IsNullOrWhiteSpace(k));
}
