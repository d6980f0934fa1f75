namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// GitHub's primary rate limit (5,000 an hour unless a test sets <see cref="Limit"/>) and the calls made, by route
/// (<c>GET /repos/{owner}/{repo}/issues/{number}</c>). A 304 is counted as a call but costs nothing, as on GitHub.
/// When the limit is used up, requests get GitHub's primary rate-limit 403 until the window resets.
/// </summary>
public sealed class EmulatorUsage(TimeProvider clock)
{
    public const int DefaultLimit = 5000;

    readonly Dictionary<string, int> calls = new(StringComparer.Ordinal);
    int used;
    int limit = DefaultLimit;
    DateTimeOffset resetAt = clock.GetUtcNow().AddHours(1);

    /// <summary>Requests allowed per hour.</summary>
    public int Limit
    {
        get { lock (calls) return limit; }
        set { lock (calls) limit = value; }
    }

    /// <summary>Calls that counted against the rate limit since start.</summary>
    public int RateLimited
    {
        get { lock (calls) return used; }
    }

    /// <summary>All calls answered (faults included), by <c>METHOD template</c>.</summary>
    public IReadOnlyDictionary<string, int> ByRoute
    {
        get { lock (calls) return new Dictionary<string, int>(calls); }
    }

    public int Count(string route)
    {
        lock (calls) return calls.GetValueOrDefault(route);
    }

    public int Total
    {
        get { lock (calls) return calls.Values.Sum(); }
    }

    internal void Record(string route, bool costs)
    {
        lock (calls)
        {
            calls[route] = calls.GetValueOrDefault(route) + 1;
            Roll();
            if (costs) used++;
        }
    }

    internal (int Limit, int Remaining, DateTimeOffset Reset, int Used) Snapshot()
    {
        lock (calls)
        {
            Roll();
            return (limit, Math.Max(0, limit - used), resetAt, used);
        }
    }

    /// <summary>A new window starts when the hour is over.</summary>
    void Roll()
    {
        var now = clock.GetUtcNow();
        if (now < resetAt) return;
        used = 0;
        resetAt = now.AddHours(1);
    }
}
