using System.Text.RegularExpressions;

namespace Baton.Activities.GitHub;

/// <summary>Reads GitHub's RFC 8288 <c>Link</c> header, the only supported way to page (URLs are opaque).</summary>
public static partial class GitHubLinks
{
    /// <summary>The URL with <c>rel="next"</c>, or null on the last page.</summary>
    public static string? Next(string? linkHeader)
    {
        if (string.IsNullOrEmpty(linkHeader)) return null;
        foreach (Match link in LinkPattern().Matches(linkHeader))
            if (link.Groups["rel"].Value.Split(' ').Contains("next", StringComparer.OrdinalIgnoreCase))
                return link.Groups["url"].Value;
        return null;
    }

    [GeneratedRegex("""<(?<url>[^>]*)>\s*;\s*rel="(?<rel>[^"]*)"?""")]
    private static partial Regex LinkPattern();
}
