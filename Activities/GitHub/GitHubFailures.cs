using System.Globalization;
using Baton.Failures;

namespace Baton.Activities.GitHub;

/// <summary>What a response said that decides its failure class: status, rate-limit headers and the error message.</summary>
public sealed record GitHubResponseFacts(
    int Status,
    string? RetryAfter = null,
    string? RateLimitRemaining = null,
    string? RateLimitReset = null,
    string? Message = null);

/// <summary>A classified failure; <see cref="RetryAfter"/> is set for <see cref="FailureClass.RateLimited"/>.</summary>
public sealed record GitHubFailure(FailureClass Class, TimeSpan? RetryAfter = null);

/// <summary>Maps GitHub responses to the engine's failure classes (ARCHITECTURE.md §2.6). Pure: the clock is an argument.</summary>
public static class GitHubFailures
{
    /// <summary>GitHub's documented wait when a secondary limit gives no Retry-After ("wait for at least one minute").</summary>
    public static readonly TimeSpan SecondaryLimitMinimumWait = TimeSpan.FromMinutes(1);

    /// <summary>The failure class of a response, or null when it succeeded (2xx, or 304 answered from the ETag cache).</summary>
    public static GitHubFailure? Classify(GitHubResponseFacts response, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Status switch
        {
            >= 200 and < 300 or 304 => null,
            401 => new(FailureClass.AuthFailed),
            429 => RateLimited(response, now),
            403 when IsRateLimit(response) => RateLimited(response, now),
            // An App installation lacking a permission: no retry can fix it, an operator must (same path as bad credentials).
            403 when Mentions(response.Message, "Resource not accessible by integration") => new(FailureClass.AuthFailed),
            408 => new(FailureClass.Transient),
            >= 400 and < 500 => new(FailureClass.Permanent),
            _ => new(FailureClass.Transient),
        };
    }

    /// <summary>
    /// A primary limit shows <c>x-ratelimit-remaining: 0</c>; a secondary limit may show remaining &gt; 0, so it is
    /// recognised by Retry-After or by its documented message ("You have exceeded a secondary rate limit").
    /// </summary>
    static bool IsRateLimit(GitHubResponseFacts response) =>
        response.RetryAfter is not null
        || response.RateLimitRemaining?.Trim() == "0"
        || Mentions(response.Message, "rate limit");

    /// <summary>Retry-After (seconds) wins; else the reset time, never less than a minute for a secondary limit; else a minute.</summary>
    static GitHubFailure RateLimited(GitHubResponseFacts response, DateTimeOffset now)
    {
        if (TryParseSeconds(response.RetryAfter, out var seconds))
            return new(FailureClass.RateLimited, TimeSpan.FromSeconds(Math.Max(0, seconds)));

        var primary = response.RateLimitRemaining?.Trim() == "0";
        if (TryParseSeconds(response.RateLimitReset, out var resetEpoch))
        {
            var untilReset = DateTimeOffset.FromUnixTimeSeconds(resetEpoch) - now;
            if (untilReset < TimeSpan.Zero) untilReset = TimeSpan.Zero;
            return new(FailureClass.RateLimited, primary || untilReset > SecondaryLimitMinimumWait ? untilReset : SecondaryLimitMinimumWait);
        }
        return new(FailureClass.RateLimited, SecondaryLimitMinimumWait);
    }

    static bool TryParseSeconds(string? value, out long seconds) =>
        long.TryParse(value?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds);

    static bool Mentions(string? message, string phrase) =>
        message?.Contains(phrase, StringComparison.OrdinalIgnoreCase) == true;
}

/// <summary>A GitHub call that failed, with its class for the engine's retry policy and the HTTP status when there was one.</summary>
public sealed class GitHubApiException(
    FailureClass failureClass, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : ClassifiedFailureException(failureClass, message, retryAfter, inner)
{
    /// <summary>The response status, or null when no response arrived (timeout, connection error).</summary>
    public int? StatusCode { get; } = statusCode;
}
