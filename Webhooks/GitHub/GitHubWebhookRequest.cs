using System.Buffers;
using System.Text.Json;
using Baton.Durable.Http;
using Baton.Hosting;
using Microsoft.AspNetCore.Http;
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

    /// <summary>The delivery id is the router's idempotency key; GitHub's are GUIDs.</summary>
    const int MaxDeliveryIdLength = 200;

    /// <exception cref="HttpProblem">The delivery is refused.</exception>
    public static async Task<GitHubDelivery> ReadAsync(HttpRequest request, GitHubWebhookOptions options, CancellationToken cancellationToken)
    {
        var (buffer, length) = await ReadBodyAsync(request, options.MaxPayloadBytes, cancellationToken);
        try
        {
            return Parse(request, options, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    static GitHubDelivery Parse(HttpRequest request, GitHubWebhookOptions options, ReadOnlySpan<byte> body)
    {
        if (!GitHubSignature.IsValid(body, request.Headers[GitHubSignature.HeaderName], options.ConfiguredSecrets))
            throw Unauthorized();

        var gitHubEvent = RequiredHeader(request, EventHeader);
        var deliveryId = RequiredHeader(request, DeliveryHeader);
        if (deliveryId.Length > MaxDeliveryIdLength || HasControlCharacter(deliveryId))
            throw HttpProblem.BadRequest($"The {DeliveryHeader} header must be at most {MaxDeliveryIdLength} printable characters.");
        try
        {
            return GitHubDelivery.From(deliveryId, gitHubEvent, GitHubPayloadParser.Parse(gitHubEvent, body));
        }
        catch (JsonException e)
        {
            // The path and position, never the payload's content nor the .NET type it was read into.
            throw HttpProblem.BadRequest($"The payload is not a valid '{gitHubEvent}' event: {JsonErrors.Describe(e)}");
        }
    }

    public static HttpProblem Unauthorized() => new(StatusCodes.Status401Unauthorized, "Unauthorized",
        $"The {GitHubSignature.HeaderName} header is missing or does not match the body under any configured webhook secret.");

    /// <summary>The body in a pooled buffer (return it), read once: sized from Content-Length when there is one.</summary>
    static async Task<(byte[] Buffer, int Length)> ReadBodyAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes) throw TooLarge(maxBytes);
        if (!IsJson(request.ContentType))
            throw HttpProblem.UnsupportedMediaType("GitHub webhooks must be sent with 'Content-Type: application/json' (set the webhook's content type to JSON).");

        // Our limit, not Kestrel's (30 MB by default, and counting chunk framing), decides, so the refusal is our
        // problem-details answer.
        RequestBodyLimit.Allow(request, maxBytes);

        // One byte more than announced, so the read that finds the end needs no bigger buffer.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(2L * buffer.Length, maxBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0) return (buffer, length);
                length += read;
                // Chunked bodies have no Content-Length: the limit is enforced while reading.
                if (length > maxBytes) throw TooLarge(maxBytes);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
            if (char.IsControl(c)) return true;
        return false;
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
