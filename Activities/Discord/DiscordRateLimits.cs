using System.Globalization;

namespace Baton.Activities.Discord;

/// <summary>Discord's rate-limit headers on one response.</summary>
/// <param name="Bucket"><c>X-RateLimit-Bucket</c>: the bucket this route shares with others.</param>
/// <param name="Remaining"><c>X-RateLimit-Remaining</c>.</param>
/// <param name="ResetAfter"><c>X-RateLimit-Reset-After</c>, seconds with a fraction.</param>
public sealed record DiscordRateLimitHeaders(string? Bucket, int? Limit, int? Remaining, double? ResetAfter)
{
    public static DiscordRateLimitHeaders From(HttpResponseMessage response) => new(
        Header(response, "X-RateLimit-Bucket"),
        int.TryParse(Header(response, "X-RateLimit-Limit"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit) ? limit : null,
        int.TryParse(Header(response, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ? remaining : null,
        double.TryParse(Header(response, "X-RateLimit-Reset-After"), NumberStyles.Float, CultureInfo.InvariantCulture, out var reset) ? reset : null);

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}

/// <summary>
/// What this process knows of Discord's rate limits (shared by every <see cref="DiscordClient"/>): per route, the bucket
/// it belongs to (<c>X-RateLimit-Bucket</c>); per bucket and major parameter (channel, webhook), how many requests are
/// left and when it refills; and a global block after a 429 with <c>global: true</c>. A request to an exhausted bucket
/// waits for its reset instead of collecting a 429 — Discord bans clients that keep hitting 429s.
/// </summary>
public sealed class DiscordRateLimits(TimeProvider clock)
{
    readonly Lock gate = new();
    readonly Dictionary<string, string> bucketOfRoute = [];
    readonly Dictionary<string, (int Remaining, DateTimeOffset ResetAt)> buckets = [];
    DateTimeOffset globalUntil = DateTimeOffset.MinValue;

    /// <summary>How long a request on <paramref name="route"/> must wait before it is sent; zero when it may go now.</summary>
    public TimeSpan WaitBefore(string route, string major)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            var wait = globalUntil > now ? globalUntil - now : TimeSpan.Zero;
            if (buckets.TryGetValue(Key(route, major), out var bucket) && bucket.Remaining <= 0 && bucket.ResetAt > now && bucket.ResetAt - now > wait)
                wait = bucket.ResetAt - now;
            return wait;
        }
    }

    /// <summary>Records a response's headers for its route.</summary>
    public void Observe(string route, string major, DiscordRateLimitHeaders headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Remaining is not { } remaining || headers.ResetAfter is not { } resetAfter) return;
        var now = clock.GetUtcNow();
        lock (gate)
        {
            if (headers.Bucket is { Length: > 0 } bucket) bucketOfRoute[route] = bucket;
            buckets[Key(route, major)] = (remaining, now + TimeSpan.FromSeconds(resetAfter));
        }
    }

    /// <summary>Records a 429: the route's bucket (or, for a global limit, every request) is closed for <paramref name="retryAfter"/>.</summary>
    public void Limited(string route, string major, TimeSpan retryAfter, bool global)
    {
        var until = clock.GetUtcNow() + retryAfter;
        lock (gate)
        {
            if (global) globalUntil = until > globalUntil ? until : globalUntil;
            else buckets[Key(route, major)] = (0, until);
        }
    }

    /// <summary>Routes that Discord reported in one bucket share its state (per major parameter); an unseen route is its own.</summary>
    string Key(string route, string major) => (bucketOfRoute.TryGetValue(route, out var bucket) ? bucket : route) + "|" + major;
}
