using System.Globalization;
using Baton.Failures;

namespace Baton.Activities.Transcription;

/// <summary>
/// A transcription server's answers in the engine's failure classes (ARCHITECTURE.md §2.6): 429 → RateLimited (never
/// sooner than its Retry-After), 401/403 → AuthFailed, 408 and 5xx → Transient, other 4xx → Permanent. Pure: the clock
/// is an argument.
/// </summary>
public static class TranscriptionFailures
{
    /// <summary>The wait when a 429 names none.</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(20);

    /// <summary>The failure class of a response status, or null when it succeeded.</summary>
    public static FailureClass? Classify(int status) => status switch
    {
        >= 200 and < 300 => null,
        429 => FailureClass.RateLimited,
        401 or 403 => FailureClass.AuthFailed,
        408 => FailureClass.Transient,
        >= 400 and < 500 => FailureClass.Permanent,
        _ => FailureClass.Transient,
    };

    /// <summary>A <c>Retry-After</c> header (seconds or an HTTP date) as a wait from <paramref name="now"/>.</summary>
    public static TimeSpan? RetryAfter(string? header, DateTimeOffset now)
    {
        var value = header?.Trim();
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }
}

/// <summary>A conversion or transcription that failed, with its class for the engine's retry policy. The message is
/// meant for the person who sent the recording; it never holds a key.</summary>
public sealed class TranscriptionException(
    FailureClass failureClass, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : ClassifiedFailureException(failureClass, message, retryAfter, inner)
{
    /// <summary>The server's status, or null when no response arrived (or no server was involved).</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>The server's own error text (redacted, shortened), when it gave one.</summary>
    public string? ServerError { get; init; }
}
