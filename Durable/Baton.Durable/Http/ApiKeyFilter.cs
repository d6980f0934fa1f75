using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Http;

/// <summary>
/// Lets a request through when it carries a configured API key (<c>x-api-key</c> header, <c>Authorization: Bearer</c>,
/// or Durable Functions' <c>code</c> query parameter). With no key configured, only loopback callers get in, so a
/// fresh install is usable locally and closed to the network. The presented key is never logged or echoed.
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
        DurableHttpLog.Unauthenticated(logger, request.Method, request.Path.ToString(),
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }

    /// <summary>Null when the request may proceed; otherwise why not (safe to show the caller).</summary>
    string? Check(HttpContext http)
    {
        if (keys.IsEmpty)
            return IsLoopback(http.Connection.RemoteIpAddress)
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

    static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
