using System.Diagnostics;
using System.Text.RegularExpressions;
using Baton.Durable.Http;
using OpenTelemetry;

namespace Baton.Hosting;

/// <summary>
/// The management API accepts Durable Functions' <c>code</c> query parameter as an API key, so a request's URL
/// can hold a secret; so does a Discord webhook's or interaction's path (<c>/webhooks/{id}/{token}</c>,
/// <c>/interactions/{id}/{token}/callback</c>) on outgoing requests. This removes them from span attributes before any
/// exporter sees them.
/// </summary>
sealed partial class RedactApiKeyProcessor : BaseProcessor<Activity>
{
    static readonly string[] UrlTags = ["url.query", "url.full", "http.url", "http.target"];

    public override void OnEnd(Activity data)
    {
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string value && Redact(value) is var redacted && !ReferenceEquals(redacted, value))
                data.SetTag(tag, redacted);
        }
    }

    /// <summary>The text with the value of every <c>code=</c> parameter and every Discord token in a path replaced; the
    /// same instance when there is none.</summary>
    public static string Redact(string url)
    {
        var redacted = url.Contains(ApiKeyFilter.QueryName + "=", StringComparison.OrdinalIgnoreCase) ? CodeParameter().Replace(url, "$1code=REDACTED") : url;
        return redacted.Contains("/webhooks/", StringComparison.OrdinalIgnoreCase) || redacted.Contains("/interactions/", StringComparison.OrdinalIgnoreCase)
            ? DiscordTokenSegment().Replace(redacted, "/$1/$2/REDACTED")
            : redacted;
    }

    [GeneratedRegex(@"(^|[?&;])code=[^&#;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CodeParameter();

    [GeneratedRegex(@"/(webhooks|interactions)/(\d+)/[^/?#;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DiscordTokenSegment();
}
