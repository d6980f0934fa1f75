using System.Globalization;
using Baton.Failures;

namespace Baton.Activities.Jira;

/// <summary>A classified Jira failure; <see cref="RetryAfter"/> is set for <see cref="FailureClass.RateLimited"/>.</summary>
public sealed record JiraFailure(FailureClass Class, TimeSpan? RetryAfter = null);

/// <summary>
/// Maps Jira responses to the engine's failure classes (ARCHITECTURE.md §2.6), the same taxonomy as GitHub's:
/// 429 (with Retry-After) → RateLimited, 401/403 → AuthFailed, 404 and other 4xx → Permanent, 408 and 5xx → Transient.
/// Pure: the clock is an argument.
/// </summary>
public static class JiraFailures
{
    /// <summary>The wait when a 429 says nothing (Jira Cloud's documented back-off starts near here).</summary>
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(30);

    /// <summary>The failure class of a response, or null when it succeeded.</summary>
    /// <param name="retryAfter">The <c>Retry-After</c> header: seconds or an HTTP date.</param>
    public static JiraFailure? Classify(int status, string? retryAfter, DateTimeOffset now) => status switch
    {
        >= 200 and < 300 => null,
        401 or 403 => new(FailureClass.AuthFailed),
        429 => new(FailureClass.RateLimited, Wait(retryAfter, now) ?? DefaultRateLimitWait),
        408 => new(FailureClass.Transient),
        >= 400 and < 500 => new(FailureClass.Permanent),
        _ => new(FailureClass.Transient),
    };

    static TimeSpan? Wait(string? retryAfter, DateTimeOffset now)
    {
        var value = retryAfter?.Trim();
        if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at > now ? at - now : TimeSpan.Zero;
        return null;
    }
}

/// <summary>A Jira call that failed, with its class for the engine's retry policy and the HTTP status when there was one.</summary>
public sealed class JiraApiException(
    FailureClass failureClass, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : ClassifiedFailureException(failureClass, message, retryAfter, inner)
{
    /// <summary>The response status, or null when no response arrived (timeout, connection error).</summary>
    public int? StatusCode { get; } = statusCode;
}
