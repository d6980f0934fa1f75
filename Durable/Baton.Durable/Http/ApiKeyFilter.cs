using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Http;

/// <summary>
/// Lets a request through when it carries a configured API key (<c>x-api-key</c> header, <c>Authorization: Bearer</c>,
/// or Durable Functions' <c>code</c> query parameter). With no key configured, only loopback callers get in, so a
/// fresh install is usable locally and closed to the network — but not a loopback connection that carries forwarding
/// headers: that is a reverse proxy on this machine (or in this pod) passing on someone else's request. The presented
/// key is never logged or echoed.
/// </summary>
public sealed class ApiKeyFilter(IOptions<DurableHttpOptions> options, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public const string HeaderName = "x-api-key";
    public const string QueryName = "code";

    readonly ApiKeyMatcher keys = new(options.Value.ApiKeys);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var refusal = Check(http);
        if (refusal is null) return next(context);

        var request = http.Request;
        DurableHttpLog.Unauthenticated(logger, request.Method, UntrustedText.ForLog(request.Path.Value),
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }

    /// <summary>Headers a proxy adds when it passes a request on (RFC 7239, and the two de-facto ones before it).</summary>
    static readonly string[] ForwardingHeaders = ["Forwarded", "X-Forwarded-For", "X-Real-IP"];

    /// <summary>True when the caller may use the management API: it presents a configured key, or no key is configured
    /// and it is on this machine. <c>/readyz</c> uses this to decide who sees its detail.</summary>
    public bool IsAuthorized(HttpContext http) => Check(http) is null;

    /// <summary>Null when the request may proceed; otherwise why not (safe to show the caller).</summary>
    string? Check(HttpContext http)
    {
        if (keys.IsEmpty)
            return IsLoopback(http.Connection.RemoteIpAddress) && !IsForwarded(http.Request)
                ? null
                : "No API key is configured, so this API only accepts requests from this machine. Configure an API key to allow remote callers.";

        var presented = PresentedKey(http.Request);
        if (presented is null)
            return $"An API key is required: send it in the '{HeaderName}' header or as 'Authorization: Bearer <key>'.";
        return keys.Matches(presented) ? null : "The API key is not valid.";
    }

    static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue(HeaderName, out var header) && !string.IsNullOrEmpty(header.ToString()))
            return header.ToString();
        var authorization = request.Headers.Authorization.ToString();
        const string bearer = "Bearer ";
        if (authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            return authorization[bearer.Length..].Trim();
        var code = request.Query[QueryName].ToString();
        return string.IsNullOrEmpty(code) ? null : code;
    }

    static bool IsForwarded(HttpRequest request)
    {
        foreach (var name in ForwardingHeaders)
            if (request.Headers.ContainsKey(name)) return true;
        return false;
    }

    static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
