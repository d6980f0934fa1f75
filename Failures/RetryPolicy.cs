namespace Baton.Failures;

/// <summary>
/// A declarative retry policy, decided inside the orchestrator by <see cref="ClassifiedRetry"/>: every attempt is its
/// own scheduled task and every back-off a durable timer, so replay re-derives the same decisions.
/// Failure classes refine it (ARCHITECTURE.md §2.6): AuthFailed and Permanent are never retried,
/// RateLimited and ResourceExhausted never wait less than the server's Retry-After, Transient gets jitter.
/// </summary>
public sealed record RetryPolicy
{
    public RetryPolicy(int maxNumberOfAttempts, TimeSpan firstRetryInterval, double backoffCoefficient = 1.0,
        TimeSpan? maxRetryInterval = null, TimeSpan? retryTimeout = null)
    {
        if (maxNumberOfAttempts <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxNumberOfAttempts), maxNumberOfAttempts, "Must be at least 1.");
        if (firstRetryInterval <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(firstRetryInterval), firstRetryInterval, "Must be positive.");
        if (backoffCoefficient < 1.0)
            throw new ArgumentOutOfRangeException(nameof(backoffCoefficient), backoffCoefficient, "Must be at least 1.0.");
        var max = maxRetryInterval ?? TimeSpan.FromHours(1);
        if (max < firstRetryInterval)
            throw new ArgumentOutOfRangeException(nameof(maxRetryInterval), max, "Must be at least the first retry interval.");
        var timeout = retryTimeout ?? Timeout.InfiniteTimeSpan;
        if (timeout != Timeout.InfiniteTimeSpan && timeout < firstRetryInterval)
            throw new ArgumentOutOfRangeException(nameof(retryTimeout), timeout, "Must be at least the first retry interval.");

        MaxNumberOfAttempts = maxNumberOfAttempts;
        FirstRetryInterval = firstRetryInterval;
        BackoffCoefficient = backoffCoefficient;
        MaxRetryInterval = max;
        RetryTimeout = timeout;
    }

    /// <summary>Total attempts, the first one included.</summary>
    public int MaxNumberOfAttempts { get; }
    public TimeSpan FirstRetryInterval { get; }
    public double BackoffCoefficient { get; }
    public TimeSpan MaxRetryInterval { get; }
    /// <summary>No attempt starts later than this after the first one. Infinite by default.</summary>
    public TimeSpan RetryTimeout { get; }

    /// <summary>Fraction (0..1) of each delay added as deterministic jitter for Transient failures.</summary>
    public double TransientJitter { get; init; } = 0.2;

    /// <summary>Delay after failed attempt <paramref name="attempt"/> (1-based), before class adjustments.</summary>
    public TimeSpan BaseDelay(int attempt)
    {
        var ticks = FirstRetryInterval.Ticks * Math.Pow(BackoffCoefficient, attempt - 1);
        return ticks >= MaxRetryInterval.Ticks ? MaxRetryInterval : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// The pure retry decision: null to stop, else the delay before the next attempt.
    /// <paramref name="jitterSeed"/> is a deterministic value in [0,1) (derived from history, not Random).
    /// </summary>
    public TimeSpan? NextDelay(int failedAttempt, ClassifiedFailure failure, TimeSpan elapsed, double jitterSeed)
    {
        if (failedAttempt >= MaxNumberOfAttempts || failure.IsFinal || failure.Class.IsNeverRetried()) return null;
        if (RetryTimeout != Timeout.InfiniteTimeSpan && elapsed >= RetryTimeout) return null;

        var delay = BaseDelay(failedAttempt);
        switch (failure.Class)
        {
            case FailureClass.RateLimited or FailureClass.ResourceExhausted when failure.RetryAfter is { } after && after > delay:
                delay = after;
                break;
            case FailureClass.Transient:
                delay += TimeSpan.FromTicks((long)(delay.Ticks * TransientJitter * jitterSeed));
                break;
        }
        if (RetryTimeout != Timeout.InfiniteTimeSpan && elapsed + delay > RetryTimeout) return null;
        return delay;
    }
}
