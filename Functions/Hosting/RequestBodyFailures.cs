using Baton.Durable.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Baton.Hosting;

/// <summary>
/// Kestrel refuses a request body while an endpoint reads it — broken chunk framing (400), a body that stops arriving
/// (408), a body over Kestrel's own size limit (413) — by throwing <see cref="BadHttpRequestException"/> out of the
/// read. Unhandled, that became a 500 with an error and a stack trace in the log. This answers with Kestrel's status as
/// problem details instead, and logs one Debug line: a malformed request is the caller's fault, not the host's.
/// </summary>
sealed class RequestBodyFailures(RequestDelegate next, IProblemDetailsService problems, ILogger<RequestBodyFailures> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (BadHttpRequestException e)
        {
            var request = context.Request;
            HostLog.RequestBodyRefused(logger, request.Method, UntrustedText.ForLog(request.Path.Value), e.StatusCode, UntrustedText.ForLog(e.Message));
            // Once the answer has begun there is nothing left to say; Kestrel closes the connection.
            if (context.Response.HasStarted) return;

            context.Response.Clear();
            context.Response.StatusCode = e.StatusCode;
            var (title, detail) = Describe(e.StatusCode);
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = e.StatusCode, Title = title, Detail = detail },
            });
        }
    }

    static (string Title, string Detail) Describe(int status) => status switch
    {
        StatusCodes.Status408RequestTimeout => ("Request timeout", "The request body did not arrive in time."),
        StatusCodes.Status413PayloadTooLarge => ("Payload too large", "The request body is larger than this endpoint accepts."),
        _ => ("Bad request", "The request body could not be read (malformed framing or an incomplete body)."),
    };
}

/// <summary>How endpoints that read a body keep Kestrel's size limit out of the way of their own.</summary>
public static class RequestBodyLimit
{
    /// <summary>
    /// Sets Kestrel's limit for this request above <paramref name="maxBytes"/>, the endpoint's own limit, which its
    /// bounded read enforces with its own 413. The headroom matters: Kestrel counts what it reads off the connection,
    /// chunk framing included, so a limit of exactly <paramref name="maxBytes"/> (+1) refused chunked bodies a few
    /// kilobytes under the endpoint's limit. A body sent in absurdly small chunks can still hit Kestrel's limit first;
    /// it gets 413 too (<see cref="RequestBodyFailures"/>).
    /// </summary>
    public static void Allow(HttpRequest request, long maxBytes)
    {
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + Math.Max(maxBytes / 8, 64 * 1024);
    }

    /// <summary>Reads the body into <paramref name="buffer"/> but never more than <paramref name="maxBytes"/> + 1 bytes:
    /// a chunked body has no Content-Length, so it is counted while read, never buffered whole first.</summary>
    /// <returns>False when the body is larger than <paramref name="maxBytes"/> (the rest is left unread).</returns>
    public static async Task<bool> ReadAsync(HttpRequest request, MemoryStream buffer, long maxBytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[16 * 1024];
        while (true)
        {
            var wanted = (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length);
            var read = await request.Body.ReadAsync(chunk.AsMemory(0, wanted), cancellationToken);
            if (read == 0) return true;
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes) return false;
        }
    }
}

public static class RequestBodyFailuresExtensions
{
    /// <summary>Turns Kestrel's body-read refusals into 4xx problem details (see <see cref="RequestBodyFailures"/>).</summary>
    public static IApplicationBuilder UseRequestBodyFailures(this IApplicationBuilder app) => app.UseMiddleware<RequestBodyFailures>();
}
