using System.Security.Cryptography;
using System.Text;

namespace Baton.Webhooks;

/// <summary>
/// The <c>sha256=</c> signature GitHub (<c>X-Hub-Signature-256</c>) and Jira's admin webhooks (<c>X-Hub-Signature</c>)
/// both send: the hex HMAC-SHA256 of the raw body, keyed with the webhook secret. Checked over the bytes as received,
/// before any parsing, in constant time, against every configured secret (several during a rotation).
/// </summary>
public static class HubSignature
{
    const string Prefix = "sha256=";
    const int DigestHexLength = SHA256.HashSizeInBytes * 2;

    /// <summary>The header value a sender would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> under any of <paramref name="secrets"/>.</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets)
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
}
