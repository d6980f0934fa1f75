using System.Security.Cryptography;
using System.Text;

namespace Baton.Webhooks.Jira;

/// <summary>
/// How a Jira delivery proves it is Jira's. An admin webhook registered with a secret sends <c>X-Hub-Signature:
/// sha256=</c> and the hex HMAC-SHA256 of the raw body (WebSub style; not GitHub's <c>-256</c> header). An automation
/// rule's "Send web request" cannot sign, so it sends a shared secret in a configured header. Both are checked over
/// what was received, before any parsing, in constant time, against every configured secret (rotation).
/// </summary>
public static class JiraSignature
{
    public const string HeaderName = "X-Hub-Signature";
    const string Prefix = "sha256=";
    const int DigestHexLength = SHA256.HashSizeInBytes * 2;

    /// <summary>The header value Jira would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> under any of <paramref name="secrets"/>.</summary>
    public static bool IsSigned(ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets)
    {
        if (header is null || header.Length != Prefix.Length + DigestHexLength || !header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            return false;
        Span<byte> claimed = stackalloc byte[SHA256.HashSizeInBytes];
        if (Convert.FromHexString(header.AsSpan(Prefix.Length), claimed, out _, out var written) != System.Buffers.OperationStatus.Done
            || written != claimed.Length)
            return false;

        Span<byte> expected = stackalloc byte[SHA256.HashSizeInBytes];
        var valid = false;
        // Every secret is tried even after a match, so timing does not tell which one is in use.
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body, expected);
            valid |= CryptographicOperations.FixedTimeEquals(expected, claimed);
        }
        return valid;
    }

    /// <summary>True when <paramref name="header"/> (an automation rule's shared secret) equals any of <paramref name="secrets"/>.</summary>
    public static bool HasSharedSecret(string? header, IReadOnlyList<string> secrets)
    {
        if (string.IsNullOrEmpty(header)) return false;
        // Compared as SHA-256 digests: equal lengths, so FixedTimeEquals does not reveal the secret's length either.
        var claimed = SHA256.HashData(Encoding.UTF8.GetBytes(header));
        var valid = false;
        foreach (var secret in secrets)
            valid |= CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), claimed);
        return valid;
    }
}
