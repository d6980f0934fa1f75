using System.Globalization;
using System.Text.Json;
using Baton.Failures;

namespace Baton.Activities.Discord;

/// <summary>What a response said that decides its failure class: the status, Discord's 429 body and headers.</summary>
/// <param name="RetryAfterBody"><c>retry_after</c> from a 429's JSON body (seconds, with a fraction).</param>
/// <param name="RetryAfterHeader"><c>Retry-After</c> (seconds).</param>
/// <param name="Global"><c>global</c> from the body, or <c>X-RateLimit-Global</c>.</param>
public sealed record DiscordResponseFacts(int Status, double? RetryAfterBody = null, string? RetryAfterHeader = null, bool Global = false);

/// <summary>A classified failure; <see cref="RetryAfter"/> is set for <see cref="FailureClass.RateLimited"/>.</summary>
public sealed record DiscordFailure(FailureClass Class, TimeSpan? RetryAfter = null, bool Global = false);

/// <summary>Maps Discord responses to the engine's failure classes (ARCHITECTURE.md §2.6). Pure.</summary>
public static class DiscordFailures
{
    /// <summary>The wait assumed when a 429 names none (Discord always does; a proxy might not).</summary>
    public static readonly TimeSpan DefaultRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The failure class of a response, or null when it succeeded.</summary>
    public static DiscordFailure? Classify(DiscordResponseFacts response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Status switch
        {
            >= 200 and < 300 => null,
            429 => new(FailureClass.RateLimited, RetryAfter(response), response.Global),
            401 or 403 => new(FailureClass.AuthFailed),
            408 => new(FailureClass.Transient),
            >= 400 and < 500 => new(FailureClass.Permanent),
            _ => new(FailureClass.Transient),
        };
    }

    /// <summary>The body's <c>retry_after</c> is the precise one (a float); the header is whole seconds.</summary>
    static TimeSpan RetryAfter(DiscordResponseFacts response)
    {
        if (response.RetryAfterBody is { } seconds && seconds >= 0) return TimeSpan.FromSeconds(seconds);
        if (double.TryParse(response.RetryAfterHeader?.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var header) && header >= 0)
            return TimeSpan.FromSeconds(header);
        return DefaultRetryAfter;
    }

    /// <summary>Reads <c>retry_after</c>, <c>global</c> and <c>message</c> from an error body; nulls for a body that is not
    /// Discord's JSON (a proxy's HTML page).</summary>
    public static (double? RetryAfter, bool Global, string? Message) ReadErrorBody(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return (null, false, null);
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, false, null);
            double? retryAfter = root.TryGetProperty("retry_after", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetDouble() : null;
            var global = root.TryGetProperty("global", out var g) && g.ValueKind == JsonValueKind.True;
            var message = root.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (retryAfter, global, message);
        }
        catch (JsonException)
        {
            return (null, false, null);
        }
    }
}

/// <summary>A Discord call that failed, with its class for the engine's retry policy. Its message names the route with
/// every token replaced by <c>***</c>, never a secret.</summary>
public sealed class DiscordApiException(FailureClass failureClass, string message, int? statusCode = null, TimeSpan? retryAfter = null)
    : ClassifiedFailureException(failureClass, message, retryAfter)
{
    /// <summary>The response status, or null when no response arrived (timeout, connection error, a bucket still empty).</summary>
    public int? StatusCode { get; } = statusCode;
}
