using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Baton.Activities.GitHub;

/// <summary>A GET response kept for conditional requests: its validator, body and pagination links.</summary>
sealed record CachedResponse(string ETag, string Body, string? Link);

/// <summary>
/// Last response per URL, so reconcile reads can send <c>If-None-Match</c>: GitHub answers an unchanged resource with
/// 304, which does not count against the rate limit. In memory and per process: a restart only costs one full read.
/// </summary>
public sealed class GitHubResponseCache(IOptions<GitHubOptions> options)
{
    readonly ConcurrentDictionary<string, CachedResponse> entries = new(StringComparer.Ordinal);
    readonly int capacity = options.Value.ETagCacheEntries;

    public int Count => entries.Count;

    internal bool TryGet(string url, out CachedResponse response) => entries.TryGetValue(url, out response!);

    internal void Store(string url, CachedResponse response)
    {
        if (capacity == 0) return;
        // Crude bound, enough for a cache that only saves rate limit: drop an arbitrary entry when full.
        if (entries.Count >= capacity && !entries.ContainsKey(url))
            foreach (var key in entries.Keys.Take(Math.Max(1, capacity / 10))) entries.TryRemove(key, out _);
        entries[url] = response;
    }
}

/// <summary>Counts of GitHub calls since start, for benchmarks ("calls per idle sweep that count against the rate limit: 0").</summary>
public sealed class GitHubUsage
{
    long responses, conditionalHits, rateLimited;

    /// <summary>HTTP responses received from GitHub, of any status.</summary>
    public long Responses => Interlocked.Read(ref responses);

    /// <summary>304 answers served from the ETag cache; GitHub does not count these against the rate limit.</summary>
    public long ConditionalHits => Interlocked.Read(ref conditionalHits);

    /// <summary>Responses that counted against the rate limit.</summary>
    public long CountedAgainstRateLimit => Responses - ConditionalHits;

    /// <summary>Responses classified as rate limited (primary or secondary).</summary>
    public long RateLimitedResponses => Interlocked.Read(ref rateLimited);

    internal void RecordResponse(int status)
    {
        Interlocked.Increment(ref responses);
        if (status == 304) Interlocked.Increment(ref conditionalHits);
    }

    internal void RecordRateLimited() => Interlocked.Increment(ref rateLimited);
}
