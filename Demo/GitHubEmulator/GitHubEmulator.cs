using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// A local, stateful GitHub: the REST v3 subset <c>GitHubClient</c> calls, served by Kestrel on loopback, with
/// pagination, ETags, rate-limit headers, injected faults, and signed webhooks sent back for every change.
/// State is arranged through this class (as a person would on github.com) or through the API (as Baton does).
/// </summary>
public sealed partial class GitHubEmulator : IAsyncDisposable
{
    readonly WebhookDispatcher webhooks = new();
    readonly EmulatorStore store;
    WebApplication? app;

    public GitHubEmulator(TimeProvider? clock = null)
    {
        Clock = clock ?? TimeProvider.System;
        store = new EmulatorStore(Clock, webhooks);
        Usage = new EmulatorUsage(Clock);
    }

    public TimeProvider Clock { get; }

    /// <summary>The REST root (ends with <c>/</c>): use it as <c>GitHub__ApiUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Who API calls act as (the token's user): the sender of the webhooks they cause.</summary>
    public string ApiUser { get; set; } = "baton-bot[bot]";

    /// <summary>Where webhooks go; none are sent while it is null.</summary>
    public Uri? WebhookUrl
    {
        get => webhooks.Url;
        set => webhooks.Url = value;
    }

    /// <summary>Signs <c>X-Hub-Signature-256</c>; unsigned deliveries while it is null.</summary>
    public string? WebhookSecret
    {
        get => webhooks.Secret;
        set => webhooks.Secret = value;
    }

    public EmulatorFaults Faults { get; } = new();

    public EmulatorUsage Usage { get; }

    /// <summary>Every webhook attempted so far, in order, with its outcome.</summary>
    public IReadOnlyList<EmulatedDelivery> Deliveries => webhooks.Deliveries;

    /// <summary>Completes once every webhook caused so far has been attempted.</summary>
    public Task WebhooksDeliveredAsync() => webhooks.DeliveredAsync();

    /// <summary>Starts listening on 127.0.0.1 (<paramref name="port"/> 0 picks a free one) and returns <see cref="BaseUrl"/>.</summary>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (app is not null) throw new InvalidOperationException("The emulator is already started.");
        (app, var address) = await EmulatorHost.StartAsync(port, web =>
        {
            web.UseRouting();
            web.Use(ServeAsync);
            MapIssueRoutes(web);
            MapPullRoutes(web);
            MapStatusRoutes(web);
            MapRepositoryRoutes(web);
            MapOAuthRoutes(web);
            web.MapGet("/rate_limit", RateLimitAsync);
        }, cancellationToken);
        BaseUrl = new Uri(address + "/");
        store.Json = new EmulatorJson(address);
        StartGitWatcher();
        return BaseUrl;
    }

    /// <summary>Counts the call, serves an injected fault if one matches, adds rate-limit headers, and turns refusals into GitHub's errors.</summary>
    async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        var method = context.Request.Method.ToUpperInvariant();
        var template = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
        var route = $"{method} {RouteConstraint().Replace(template, "{$1}")}";

        var fault = Faults.Take(method, context.Request.Path.Value ?? "/");
        if (fault is null && Usage.Snapshot() is { Remaining: 0, Reset: var reset })
            fault = (EmulatedFault.PrimaryRateLimit, reset - Clock.GetUtcNow());
        if (fault is { } served)
        {
            Usage.Record(route, costs: false);
            await ServeFaultAsync(context, served.Fault, served.Wait);
            return;
        }

        context.Response.OnStarting(() =>
        {
            Usage.Record(route, costs: context.Response.StatusCode != 304);
            WriteRateLimit(context.Response, Usage.Snapshot());
            return Task.CompletedTask;
        });
        try
        {
            await next(context);
        }
        catch (EmulatorHttpException refusal) when (!context.Response.HasStarted)
        {
            await EmulatorReplies.ErrorAsync(context, refusal.Status, refusal.Message);
        }
    }

    async Task ServeFaultAsync(HttpContext context, EmulatedFault fault, TimeSpan wait)
    {
        var limit = Usage.Snapshot();
        var seconds = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var response = context.Response;
        switch (fault)
        {
            case EmulatedFault.PrimaryRateLimit:
                WriteRateLimit(response, limit with { Remaining = 0, Reset = Clock.GetUtcNow().Add(wait) });
                await EmulatorReplies.ErrorAsync(context, 403, "API rate limit exceeded for user ID 1.");
                break;
            case EmulatedFault.SecondaryRateLimit or EmulatedFault.TooManyRequests:
                WriteRateLimit(response, limit);
                response.Headers.RetryAfter = seconds;
                await EmulatorReplies.ErrorAsync(context, fault == EmulatedFault.TooManyRequests ? 429 : 403,
                    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
                break;
            case EmulatedFault.Unauthorized:
                await EmulatorReplies.ErrorAsync(context, 401, "Bad credentials");
                break;
            case EmulatedFault.BadGateway:
                response.StatusCode = 502;
                response.ContentType = "text/html";
                await response.WriteAsync("<html><body><h1>502 Bad Gateway</h1></body></html>");
                break;
            default:
                await EmulatorReplies.ErrorAsync(context, 500, "Server Error");
                break;
        }
    }

    static void WriteRateLimit(HttpResponse response, (int Limit, int Remaining, DateTimeOffset Reset, int Used) limit)
    {
        response.Headers["x-ratelimit-limit"] = limit.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = limit.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = limit.Reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = limit.Used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";
    }

    Task RateLimitAsync(HttpContext context)
    {
        var (limit, remaining, reset, used) = Usage.Snapshot();
        var core = new JsonObject { ["limit"] = limit, ["remaining"] = remaining, ["reset"] = reset.ToUnixTimeSeconds(), ["used"] = used };
        return EmulatorReplies.JsonAsync(context, new JsonObject
        {
            ["resources"] = new JsonObject { ["core"] = core },
            ["rate"] = core.DeepClone(),
        });
    }

    /// <summary>Route constraints and catch-alls (<c>{number:int}</c>, <c>{**ref}</c>) dropped from call-count keys.</summary>
    [GeneratedRegex(@"\{\**(\w+)(:\w+)?\}")]
    private static partial Regex RouteConstraint();

    public async ValueTask DisposeAsync()
    {
        await StopGitAsync();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        await webhooks.DisposeAsync();
    }
}
