namespace Baton.Durable;

/// <summary>
/// Why a step failed, which decides how it is retried (ARCHITECTURE.md §2.6).
/// Carried by every activity failure and visible to retry policies.
/// </summary>
public enum FailureClass
{
    /// <summary>Not classified: retried as the policy says.</summary>
    Unknown = 0,
    /// <summary>The server asked us to slow down; never retried sooner than its Retry-After.</summary>
    RateLimited,
    /// <summary>Bad or expired credentials: never retried.</summary>
    AuthFailed,
    /// <summary>The step ran out of time: retried with a longer timeout.</summary>
    Timeout,
    /// <summary>The worker running the step lost its lease or heartbeat: reassigned.</summary>
    StaleWorker,
    /// <summary>No capacity or a budget window is exhausted: wait, then retry.</summary>
    ResourceExhausted,
    /// <summary>5xx, connection reset: exponential back-off with jitter.</summary>
    Transient,
    /// <summary>404, 422, malformed input: never retried.</summary>
    Permanent,
}

public static class FailureClassExtensions
{
    /// <summary>Classes that no retry policy may retry.</summary>
    public static bool IsNeverRetried(this FailureClass failureClass) =>
        failureClass is FailureClass.AuthFailed or FailureClass.Permanent;
}
