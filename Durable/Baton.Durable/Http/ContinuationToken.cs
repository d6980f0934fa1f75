using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Baton.Durable.Http;

/// <summary>
/// Carries the store's paging token in the <c>x-ms-continuation-token</c> header. It is wrapped in base64url so
/// any store token is header-safe, and a token that does not unwrap is refused with 400 before the store sees it.
/// </summary>
static class ContinuationToken
{
    public const string HeaderName = "x-ms-continuation-token";
    const int MaxLength = 4096;

    public static string? Read(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(HeaderName, out var values)) return null;
        var text = values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !Base64Url.IsValid(text))
            throw Malformed();
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text));
        }
        catch (FormatException)
        {
            throw Malformed();
        }
    }

    public static void Write(HttpResponse response, string? storeToken)
    {
        if (storeToken is not null)
            response.Headers[HeaderName] = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(storeToken));
    }

    public static HttpProblem Malformed() =>
        HttpProblem.BadRequest($"The '{HeaderName}' header is not a continuation token this API issued.");
}
