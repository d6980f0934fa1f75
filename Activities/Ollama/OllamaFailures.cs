using System.Globalization;
using Baton.Failures;

namespace Baton.Activities.Ollama;

/// <summary>
/// Ollama's answers in the engine's failure classes, decided from the HTTP status (OllamaSharp's own errors lose
/// Ollama's text, STACK.md): 429/529 → RateLimited, 401/403 → AuthFailed (a proxy in front), 404 (model not pulled)
/// and other 4xx → Permanent, 408 and 5xx → Transient.
/// </summary>
public static class OllamaFailures
{
    public static readonly TimeSpan DefaultRateLimitWait = TimeSpan.FromSeconds(30);

    public static FailureClass? Classify(int status) => status switch
    {
        >= 200 and < 300 => null,
        429 or 529 => FailureClass.RateLimited,
        401 or 403 => FailureClass.AuthFailed,
        408 => FailureClass.Transient,
        >= 400 and < 500 => FailureClass.Permanent,
        _ => FailureClass.Transient,
    };

    public static TimeSpan? RetryAfter(string? header) =>
        long.TryParse(header?.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? TimeSpan.FromSeconds(Math.Max(0, seconds)) : null;
}

/// <summary>An Ollama call that failed, with its class for the engine's retry policy.</summary>
public sealed class OllamaApiException(FailureClass failureClass, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? inner = null)
    : ClassifiedFailureException(failureClass, message, retryAfter, inner)
{
    public int? StatusCode { get; } = statusCode;
}
