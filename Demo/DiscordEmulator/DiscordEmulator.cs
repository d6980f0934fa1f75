using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.DiscordEmulator;

/// <summary>A channel webhook the emulator accepts; <see cref="Url"/> is what <c>Discord__WebhookUrl</c> is set to.</summary>
public sealed record EmulatedWebhook(string Id, string Token, string ChannelId, Uri Url);

/// <summary>One request the emulator answered: its route template (no ids, no tokens) and status.</summary>
/// <param name="Status">The HTTP status, or <see cref="AnswerLost"/> when the work was done but the answer was lost.</param>
public sealed record EmulatedDiscordRequest(string Method, string Route, int Status)
{
    public const int AnswerLost = 0;
}

/// <summary>
/// A local Discord: the REST v10 subset Baton calls (webhook and bot messages, their edits, interaction responses, global
/// commands), served by Kestrel on loopback, with Discord's rate-limit headers on every answer and per-route buckets that
/// refuse with 429, nonce de-duplication (<c>enforce_nonce</c>), token checks (401), and injected faults
/// (<see cref="Faults"/>). Tests and the demo read what was posted from <see cref="Messages"/>.
/// </summary>
public sealed partial class DiscordEmulator : IAsyncDisposable
{
    readonly DiscordEmulatorStore store;
    readonly Lock gate = new();
    readonly List<EmulatedWebhook> webhooks = [];
    readonly List<EmulatedDiscordRequest> requests = [];
    WebApplication? app;

    public DiscordEmulator(TimeProvider? clock = null)
    {
        Clock = clock ?? TimeProvider.System;
        store = new DiscordEmulatorStore(Clock);
        Buckets = new DiscordEmulatorBuckets(Clock);
    }

    public TimeProvider Clock { get; }

    /// <summary>The REST root (ends with <c>/</c>): use it as <c>Discord__ApiUrl</c>.</summary>
    public Uri ApiUrl { get; private set; } = new("http://127.0.0.1/api/v10/");

    /// <summary>The bot token accepted in <c>Authorization: Bot …</c>.</summary>
    public string BotToken { get; set; } = "emulated-bot-token." + Guid.NewGuid().ToString("N");

    public string ApplicationId { get; set; } = "1100000000000000000";

    /// <summary>The channel the bot may post to; others answer 404 Unknown Channel.</summary>
    public string ChannelId { get; set; } = "1100000000000000001";

    public DiscordEmulatorFaults Faults { get; } = new();

    public DiscordEmulatorBuckets Buckets { get; }

    /// <summary>How long a nonce with <c>enforce_nonce</c> names its message.</summary>
    public TimeSpan NonceWindow
    {
        get => store.NonceWindow;
        set => store.NonceWindow = value;
    }

    /// <summary>Every message posted, with its edits, in order.</summary>
    public IReadOnlyList<EmulatedDiscordMessage> Messages => store.Messages;

    public IReadOnlyList<EmulatedInteractionCallback> InteractionCallbacks => store.Callbacks;

    /// <summary>The application's global commands, as last overwritten.</summary>
    public System.Text.Json.Nodes.JsonArray Commands => store.Commands;

    /// <summary>Every request answered so far, in order.</summary>
    public IReadOnlyList<EmulatedDiscordRequest> Requests
    {
        get { lock (gate) return [.. requests]; }
    }

    /// <summary>Creates a webhook on <paramref name="channelId"/> (<see cref="ChannelId"/> by default).</summary>
    public EmulatedWebhook CreateWebhook(string? channelId = null)
    {
        var (id, token) = (store.NewId(), Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()));
        var root = ApiUrl.GetLeftPart(UriPartial.Authority);
        var webhook = new EmulatedWebhook(id, token, channelId ?? ChannelId, new Uri($"{root}/api/webhooks/{id}/{token}"));
        lock (gate) webhooks.Add(webhook);
        return webhook;
    }

    /// <summary>Makes an interaction answerable (as if Discord had just sent it): its callback and <c>@original</c> edits
    /// are accepted for <paramref name="token"/>. <paramref name="messageId"/> is the message a component was on.</summary>
    public void TrackInteraction(string interactionId, string token, string? messageId = null) => store.TrackInteraction(interactionId, token, messageId);

    /// <summary>Waits until <paramref name="condition"/> holds (checked every 20 ms), or fails after <paramref name="timeout"/>.</summary>
    public async Task WaitUntilAsync(Func<DiscordEmulator, bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"The Discord emulator did not see {what} within {timeout}.");
            await Task.Delay(20);
        }
    }

    /// <summary>Starts listening on 127.0.0.1 (<paramref name="port"/> 0 picks a free one) and returns <see cref="ApiUrl"/>.</summary>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (app is not null) throw new InvalidOperationException("The emulator is already started.");
        (app, var address) = await EmulatorHost.StartAsync(port, web =>
        {
            web.UseRouting();
            web.Use(ServeAsync);
            foreach (var prefix in new[] { "/api/v10", "/api" }) MapRoutes(web.MapGroup(prefix));
        }, cancellationToken);
        ApiUrl = new Uri(address + "/api/v10/");
        return ApiUrl;
    }

    /// <summary>Serves an outage or an injected 429 first, then the route's bucket, then the route; adds the bucket's headers.</summary>
    async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method.ToUpperInvariant();
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        var route = template.Replace("/api/v10", "", StringComparison.Ordinal).Replace("/api", "", StringComparison.Ordinal);
        var major = Major(context.Request.RouteValues);
        var lost = false;
        try
        {
            if (Faults.Outage)
            {
                context.Response.StatusCode = 503;
                context.Response.ContentType = "text/html";
                await context.Response.WriteAsync("<html><body><h1>503 Service Unavailable</h1>upstream connect error</body></html>");
                return;
            }
            var bucket = Buckets.Take($"{method} {route}", major);
            WriteBucket(context.Response, bucket);
            if (Faults.TakeRateLimit() is { } injected)
            {
                await RateLimitedAsync(context, injected.RetryAfter, injected.Global);
                return;
            }
            if (bucket.Exceeded)
            {
                await RateLimitedAsync(context, bucket.ResetAfter, global: false);
                return;
            }
            if (Faults.TakeLostAnswer())
            {
                // The route does its work; its answer goes nowhere and the connection is reset.
                lost = true;
                context.Response.Body = Stream.Null;
                await next(context);
                context.Abort();
                return;
            }
            await next(context);
        }
        catch (DiscordEmulatorException refusal) when (!context.Response.HasStarted)
        {
            await DiscordEmulatorReplies.ErrorAsync(context, refusal);
        }
        finally
        {
            lock (gate) requests.Add(new EmulatedDiscordRequest(method, route, lost ? EmulatedDiscordRequest.AnswerLost : context.Response.StatusCode));
        }
    }

    static async Task RateLimitedAsync(HttpContext context, TimeSpan retryAfter, bool global)
    {
        var seconds = Math.Round(retryAfter.TotalSeconds, 3, MidpointRounding.AwayFromZero);
        var response = context.Response;
        response.Headers.RetryAfter = Math.Ceiling(seconds).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Scope"] = global ? "global" : "user";
        if (global) response.Headers["X-RateLimit-Global"] = "true";
        await DiscordEmulatorReplies.JsonAsync(context, new System.Text.Json.Nodes.JsonObject
        {
            ["message"] = "You are being rate limited.",
            ["retry_after"] = seconds,
            ["global"] = global,
        }, 429);
    }

    static void WriteBucket(HttpResponse response, BucketState bucket)
    {
        // Reset-After is rounded up to the millisecond: a client that waits for it never arrives before the reset.
        var resetAfter = Math.Ceiling(bucket.ResetAfter.TotalMilliseconds) / 1000.0;
        response.Headers["X-RateLimit-Limit"] = bucket.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Remaining"] = bucket.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset"] = (bucket.ResetAt.ToUnixTimeMilliseconds() / 1000.0).ToString("0.000", CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
        response.Headers["X-RateLimit-Bucket"] = bucket.Bucket;
    }

    /// <summary>Discord's major parameters: a bucket is per route and per channel, webhook or application.</summary>
    static string Major(RouteValueDictionary values) =>
        (values["channelId"] ?? values["webhookId"] ?? values["applicationId"] ?? values["interactionId"])?.ToString() ?? "";

    public async ValueTask DisposeAsync()
    {
        if (app is { } running)
        {
            app = null;
            await running.StopAsync();
            await running.DisposeAsync();
        }
    }
}
