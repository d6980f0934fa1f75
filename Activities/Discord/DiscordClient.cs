using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Failures;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Discord;

/// <summary>
/// Typed client for the Discord REST v10 calls Baton makes (docs/discord.md). Every failure is thrown as a
/// <see cref="DiscordApiException"/> carrying its <see cref="FailureClass"/>; there is no retry here: a send is retried
/// by the engine's durable retry (timers, not sleeps), which also honours a 429's <c>retry_after</c>. Rate-limit buckets
/// are tracked (<see cref="DiscordRateLimits"/>): a request waits briefly for an exhausted bucket, or fails as
/// RateLimited at once when the wait is longer than <see cref="DiscordOptions.MaxBucketWait"/>. Tokens (bot, webhook,
/// interaction) never appear in a log line or an exception: routes are shown with <c>***</c> in their place.
/// </summary>
public sealed partial class DiscordClient(
    HttpClient http, DiscordRateLimits limits, IOptions<DiscordOptions> options, TimeProvider clock, ILogger<DiscordClient> logger)
{
    readonly DiscordOptions settings = options.Value;

    /// <summary>One request.</summary>
    /// <param name="Path">Relative to <see cref="DiscordOptions.ApiUrl"/>; may hold a token.</param>
    /// <param name="Route">The rate-limit route (method and template, no ids), e.g. <c>POST channels/{id}/messages</c>.</param>
    /// <param name="Major">Discord's major parameter (channel, webhook or application id): buckets are per route and major.</param>
    /// <param name="Shown">The path as logged and put in exceptions: tokens replaced by <c>***</c>.</param>
    /// <param name="Secret">A token in <paramref name="Path"/>, scrubbed from any transport error text.</param>
    /// <param name="AsBot">Sends <c>Authorization: Bot …</c>.</param>
    sealed record Call(HttpMethod Method, string Path, string Route, string Major, string Shown, JsonNode? Body, bool AsBot, string? Secret = null);

    async Task<JsonObject?> SendAsync(Call call, CancellationToken cancellationToken)
    {
        var botToken = call.AsBot ? BotToken(call) : null;
        await WaitForBucketAsync(call, cancellationToken);

        using var request = BuildRequest(call, botToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(settings.RequestTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            limits.Observe(call.Route, call.Major, DiscordRateLimitHeaders.From(response));
            DiscordLog.Answered(logger, call.Method.Method, call.Shown, status);
            if (status is >= 200 and < 300) return Parse(call, status, body);
            throw Fail(call, response, status, body);
        }
        catch (Exception exception) when (exception is HttpRequestException || exception is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var reason = exception is OperationCanceledException ? $"no answer within {settings.RequestTimeout}" : Scrub(exception.Message, call);
            DiscordLog.Failed(logger, call.Method.Method, call.Shown, FailureClass.Transient, null, null, reason);
            throw new DiscordApiException(FailureClass.Transient, $"Discord {call.Method} {call.Shown} did not answer: {reason}");
        }
    }

    static readonly TimeSpan BucketResetMargin = TimeSpan.FromMilliseconds(15);

    /// <summary>Waits for an exhausted bucket (or the global limit) if it refills soon; otherwise hands the wait to the durable retry.</summary>
    async Task WaitForBucketAsync(Call call, CancellationToken cancellationToken)
    {
        var wait = limits.WaitBefore(call.Route, call.Major);
        if (wait <= TimeSpan.Zero) return;
        if (wait > settings.MaxBucketWait)
        {
            DiscordLog.Failed(logger, call.Method.Method, call.Shown, FailureClass.RateLimited, null, wait, "rate-limit bucket exhausted");
            throw new DiscordApiException(FailureClass.RateLimited,
                $"Discord {call.Method} {call.Shown} not sent: its rate-limit bucket is exhausted for {wait}.", retryAfter: wait);
        }
        DiscordLog.WaitingForBucket(logger, call.Method.Method, call.Shown, wait);
        // A timer rounds its due time to whole milliseconds and may fire up to a tick early: waiting a few milliseconds
        // past the reset keeps the request from arriving just before it (a 429, which Discord counts against the client).
        await Task.Delay(wait + BucketResetMargin, clock, cancellationToken);
    }

    DiscordApiException Fail(Call call, HttpResponseMessage response, int status, string body)
    {
        var (retryAfter, global, message) = DiscordFailures.ReadErrorBody(body);
        global |= response.Headers.TryGetValues("X-RateLimit-Global", out var g) && g.Contains("true", StringComparer.OrdinalIgnoreCase);
        var header = response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;
        var failure = DiscordFailures.Classify(new DiscordResponseFacts(status, retryAfter, header, global))!;
        if (failure is { Class: FailureClass.RateLimited, RetryAfter: { } wait })
            limits.Limited(call.Route, call.Major, wait, failure.Global);

        var detail = Scrub(message ?? (body.Length <= 200 ? body : body[..200]), call);
        if (failure.Class.IsNeverRetried())
            DiscordLog.FailedForGood(logger, call.Method.Method, call.Shown, failure.Class, status, detail);
        else
            DiscordLog.Failed(logger, call.Method.Method, call.Shown, failure.Class, status, failure.RetryAfter, detail);
        var scope = failure.Global ? " (global limit)" : "";
        return new DiscordApiException(failure.Class, $"Discord {call.Method} {call.Shown} answered {status}{scope}: {detail}", status, failure.RetryAfter);
    }

    /// <summary>A success's JSON object (null for 204 or an array). A body that is not JSON is Permanent, not Transient:
    /// Discord may have stored the message, and a retry through a webhook would post it twice.</summary>
    static JsonObject? Parse(Call call, int status, string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            throw new DiscordApiException(FailureClass.Permanent, $"Discord {call.Method} {call.Shown} answered {status} with a body that is not JSON.", status);
        }
    }

    HttpRequestMessage BuildRequest(Call call, string? botToken)
    {
        var request = new HttpRequestMessage(call.Method, new Uri(BaseAddress, call.Path));
        if (botToken is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bot", botToken);
        if (call.Body is not null)
            request.Content = new StringContent(call.Body.ToJsonString(), Encoding.UTF8, "application/json");
        return request;
    }

    Uri BaseAddress => http.BaseAddress ?? WithSlash(settings.ApiUrl);

    /// <summary>A trailing slash keeps the <c>/api/v10</c> prefix when relative paths are resolved.</summary>
    internal static Uri WithSlash(Uri apiUrl) => apiUrl.AbsoluteUri.EndsWith('/') ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");

    string BotToken(Call call) => string.IsNullOrWhiteSpace(settings.BotToken)
        ? throw new DiscordApiException(FailureClass.AuthFailed, $"Discord {call.Method} {call.Shown} needs a bot token (Discord__BotToken), and none is configured.")
        : settings.BotToken;

    /// <summary>Removes every token this call could know from a text that came from elsewhere (an exception, an error body).</summary>
    string Scrub(string text, Call call)
    {
        foreach (var secret in new[] { call.Secret, settings.BotToken, WebhookToken })
            if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "***", StringComparison.Ordinal);
        return text;
    }

    string? WebhookToken => DiscordWebhook.TryParse(settings.WebhookUrl, out var webhook) ? webhook.Token : null;

    static string Escape(string segment) => Uri.EscapeDataString(segment);
}
