using System.Text.Json;
using Baton.Durable.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace Baton.Webhooks.GitHub;

/// <summary>
/// Reads and verifies one delivery: size (413), content type (415), signature over the raw bytes (401) — all
/// before anything is parsed — then the event headers and the JSON (400). Every refusal is an
/// <see cref="HttpProblem"/>; nothing here records anything.
/// </summary>
public static class GitHubWebhookRequest
{
    public const string EventHeader = "X-GitHub-Event";
    public const string DeliveryHeader = "X-GitHub-Delivery";

    /// <summary>Leaves room for the <c>github-delivery:</c> prefix within the engine's instance id limit.</summary>
    const int MaxDeliveryIdLength = 200;

    /// <exception cref="HttpProblem">The delivery is refused.</exception>
    public static async Task<GitHubDelivery> ReadAsync(HttpRequest request, GitHubWebhookOptions options, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, options.MaxPayloadBytes, cancellationToken);
        if (!GitHubSignature.IsValid(body, request.Headers[GitHubSignature.HeaderName], options.ConfiguredSecrets))
            throw Unauthorized();

        var gitHubEvent = RequiredHeader(request, EventHeader);
        var deliveryId = RequiredHeader(request, DeliveryHeader);
        if (deliveryId.Length > MaxDeliveryIdLength || deliveryId.Any(char.IsControl))
            throw HttpProblem.BadRequest($"The {DeliveryHeader} header must be at most {MaxDeliveryIdLength} printable characters.");
        try
        {
            return GitHubDelivery.From(deliveryId, gitHubEvent, GitHubPayloadParser.Parse(gitHubEvent, body));
        }
        catch (JsonException e)
        {
            // The parser's message names the path and position, never the payload's content.
            throw HttpProblem.BadRequest($"The payload is not a valid '{gitHubEvent}' event: {e.Message}");
        }
    }

    public static HttpProblem Unauthorized() => new(StatusCodes.Status401Unauthorized, "Unauthorized",
        $"The {GitHubSignature.HeaderName} header is missing or does not match the body under any configured webhook secret.");

    static async Task<byte[]> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        if (!IsJson(request.ContentType))
            throw HttpProblem.UnsupportedMediaType("GitHub webhooks must be sent with 'Content-Type: application/json' (set the webhook's content type to JSON).");

        // Our limit, not Kestrel's default (30 MB), decides, so the refusal is our problem-details answer.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = maxBytes + 1;

        using var buffer = new MemoryStream(request.ContentLength is { } length ? (int)length : 16 * 1024);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            // Chunked bodies have no Content-Length: the limit is enforced while reading.
            if (buffer.Length + read > maxBytes) throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static string RequiredHeader(HttpRequest request, string name) =>
        request.Headers[name].ToString() is { Length: > 0 } value
            ? value
            : throw HttpProblem.BadRequest($"The {name} header is required.");

    static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        && (!media.Charset.HasValue || media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    static HttpProblem TooLarge(long maxBytes) => HttpProblem.TooLarge($"The payload must be at most {maxBytes} bytes.");
}
