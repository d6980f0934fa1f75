using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Baton.Durable.Http;

/// <summary>
/// Reads a JSON request body with a size limit (413), a content-type check (415) and a syntax check (400).
/// The body is read into memory whole: it becomes a stored payload, which the engine caps anyway.
/// </summary>
static class JsonBody
{
    static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    /// <summary>The body as JSON, or null when there is none (or it is the literal <c>null</c>).</summary>
    /// <param name="requireJsonContentType">True: the content type must be JSON even when the body is empty.</param>
    public static async Task<JsonElement?> ReadAsync(HttpRequest request, long maxBytes, bool requireJsonContentType, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
            throw TooLarge(maxBytes);
        var mayHaveBody = request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? request.ContentLength > 0;
        if ((requireJsonContentType || mayHaveBody) && !IsJson(request.ContentType))
            throw HttpProblem.UnsupportedMediaType("The request body must be JSON, sent with 'Content-Type: application/json'.");
        if (!mayHaveBody) return null;

        var bytes = await ReadBoundedAsync(request.Body, maxBytes, cancellationToken);
        if (bytes.Length == 0) return null;
        try
        {
            using var document = JsonDocument.Parse(bytes, ParseOptions);
            return document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw HttpProblem.BadRequest($"The request body is not valid JSON: {JsonErrors.Describe(e)}");
        }
    }

    static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(Stream body, long maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            // Chunked bodies have no Content-Length: enforce the limit while reading.
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        var charsetOk = !media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
        var type = media.MediaType;
        return charsetOk && (type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && type.EndsWith("+json", StringComparison.OrdinalIgnoreCase)));
    }

    static HttpProblem TooLarge(long maxBytes) => HttpProblem.TooLarge($"The request body must be at most {maxBytes} bytes.");
}
