using System.Security.Cryptography;
using System.Text;

namespace Baton.Demo.DiscordEmulator;

/// <summary>
/// Discord's per-route rate limits, as fixed windows: each route template with its major parameter (channel, webhook,
/// application) allows <see cref="Limit"/> requests per <see cref="Window"/>. A request beyond it is refused with a 429
/// whose <c>retry_after</c> is the time left in the window. Every answer carries the bucket's headers.
/// </summary>
public sealed class DiscordEmulatorBuckets(TimeProvider clock)
{
    readonly Lock gate = new();
    readonly Dictionary<string, (int Used, DateTimeOffset ResetAt)> windows = [];

    /// <summary>Requests per window and bucket (Discord's message creates: 5 per 5 s).</summary>
    public int Limit { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Counts a request; returns the bucket's state after it, and whether it was over the limit.</summary>
    internal BucketState Take(string route, string major)
    {
        var now = clock.GetUtcNow();
        lock (gate)
        {
            var key = route + "|" + major;
            var (used, resetAt) = windows.TryGetValue(key, out var window) && window.ResetAt > now ? window : (0, now + Window);
            var over = used >= Limit;
            if (!over) used++;
            windows[key] = (used, resetAt);
            return new BucketState(BucketId(route), Limit, Math.Max(0, Limit - used), resetAt, resetAt - now, over);
        }
    }

    /// <summary>Discord names buckets with an opaque hash; the same route template always has the same one.</summary>
    static string BucketId(string route) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(route)))[..32];
}

internal sealed record BucketState(string Bucket, int Limit, int Remaining, DateTimeOffset ResetAt, TimeSpan ResetAfter, bool Exceeded);
