namespace Baton.Failures;

/// <summary>
/// Why a step failed, which decides how it is retried (ARCHITECTURE.md §2.6).
/// An activity's failure carries it as a failure property (<see cref="FailureFacts"/>); the retry handlers read it.
/// </summary>
public enum FailureClass
{
    /// <summary>Not classified: retried as the policy says.</summary>
    Unknown = 0,
    /// <summary>The server asked us to slow down; never retried sooner than its Retry-After.</summary>
    RateLimited,
    /// <summary>Bad or expired credentials: never retried.</summary>
    AuthFailed,
    /// <summary>The step ran out of time: retried as the policy says.</summary>
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

/// <summary>Thrown by an activity (or a client under it) to fail with a known <see cref="FailureClass"/>.</summary>
public class ClassifiedFailureException(FailureClass failureClass, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public FailureClass FailureClass { get; } = failureClass;

    /// <summary>For <see cref="FailureClass.RateLimited"/>: the earliest the server allows another attempt.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>What a retry decision needs to know about a failure.</summary>
/// <param name="IsFinal">Never retried, whatever its class (a job the broker gave up on).</param>
public sealed record ClassifiedFailure(FailureClass Class, TimeSpan? RetryAfter = null, bool IsFinal = false);
