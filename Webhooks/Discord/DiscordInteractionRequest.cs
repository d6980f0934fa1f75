using System.Text.Json;
using Baton.Durable.Http;
using Baton.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Org.BouncyCastle.Crypto.Parameters;

namespace Baton.Webhooks.Discord;

/// <summary>
/// Reads and verifies one interaction: size (413), then timestamp freshness and signature over the raw bytes (401) —
/// before anything is parsed, so a forged or stale request never reaches the parser — then content type (415) and the
/// JSON (400). Every refusal is an <see cref="HttpProblem"/>; nothing here changes anything.
/// </summary>
public static class DiscordInteractionRequest
{
    /// <exception cref="HttpProblem">The request is refused.</exception>
    public static async Task<DiscordInteraction> ReadAsync(HttpRequest request, Ed25519PublicKeyParameters key, DiscordInteractionOptions options,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.ContentLength > options.MaxPayloadBytes) throw TooLarge(options.MaxPayloadBytes);
        RequestBodyLimit.Allow(request, options.MaxPayloadBytes);
        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 4096, options.MaxPayloadBytes) + 1);
        if (!await RequestBodyLimit.ReadAsync(request, buffer, options.MaxPayloadBytes, cancellationToken)) throw TooLarge(options.MaxPayloadBytes);
        var body = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);

        var timestamp = request.Headers[DiscordSignature.TimestampHeader].ToString();
        if (!DiscordSignature.IsFresh(timestamp, now, options.SignatureTolerance)
            || !DiscordSignature.IsValid(body, timestamp, request.Headers[DiscordSignature.SignatureHeader].ToString(), key))
            throw Unauthorized();

        if (!IsJson(request.ContentType))
            throw HttpProblem.UnsupportedMediaType("Interactions must be sent with 'Content-Type: application/json'.");
        try
        {
            return DiscordInteractionParser.Parse(body);
        }
        catch (JsonException e)
        {
            // The path and position (or which field is missing), never the payload's content nor a .NET type.
            throw HttpProblem.BadRequest($"The body is not a valid interaction: {JsonErrors.Describe(e)}");
        }
    }

    public static HttpProblem Unauthorized() => new(StatusCodes.Status401Unauthorized, "Unauthorized",
        $"The {DiscordSignature.SignatureHeader} header is missing or invalid, or {DiscordSignature.TimestampHeader} is missing or too far from now.");

    static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    static HttpProblem TooLarge(long maxBytes) => HttpProblem.TooLarge($"The interaction must be at most {maxBytes} bytes.");
}
