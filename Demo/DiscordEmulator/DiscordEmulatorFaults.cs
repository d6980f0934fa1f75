namespace Baton.Demo.DiscordEmulator;

/// <summary>
/// Failures waiting to be served instead of answers: rate limits (429 with <c>retry_after</c>, per route or global) for
/// the next N requests, answers lost after the work was done, and an outage (every request answered 503 until it is
/// switched off).
/// </summary>
public sealed class DiscordEmulatorFaults
{
    readonly Lock gate = new();
    readonly Queue<(TimeSpan RetryAfter, bool Global)> rateLimits = new();
    int lostAnswers;

    /// <summary>While true, every request is answered 503 with an HTML page, as Discord's edge answers during an outage.</summary>
    public bool Outage { get; set; }

    /// <summary>The next <paramref name="times"/> requests get a 429 announcing <paramref name="retryAfter"/>; with
    /// <paramref name="global"/> it is the global limit (<c>"global": true</c>, <c>X-RateLimit-Global</c>).</summary>
    public void RateLimitNext(int times, TimeSpan retryAfter, bool global = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(retryAfter, TimeSpan.Zero);
        lock (gate)
            for (var i = 0; i < times; i++) rateLimits.Enqueue((retryAfter, global));
    }

    /// <summary>The next <paramref name="times"/> requests that reach their route are carried out (a message is stored) but
    /// their answer is lost: the connection is reset instead, as when a timeout or a network fault hits after Discord acted.</summary>
    public void LoseNextAnswers(int times)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(times, 1);
        lock (gate) lostAnswers += times;
    }

    /// <summary>Injected 429s not served yet.</summary>
    public int Waiting
    {
        get { lock (gate) return rateLimits.Count; }
    }

    public void Clear()
    {
        lock (gate)
        {
            rateLimits.Clear();
            lostAnswers = 0;
        }
        Outage = false;
    }

    internal (TimeSpan RetryAfter, bool Global)? TakeRateLimit()
    {
        lock (gate) return rateLimits.TryDequeue(out var next) ? next : null;
    }

    internal bool TakeLostAnswer()
    {
        lock (gate)
        {
            if (lostAnswers == 0) return false;
            lostAnswers--;
            return true;
        }
    }
}
