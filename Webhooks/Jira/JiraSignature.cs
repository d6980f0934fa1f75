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

    /// <summary>The header value Jira would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => HubSignature.Sign(body, secret);

    /// <summary>True when <paramref name="header"/> signs <paramref name="body"/> under any of <paramref name="secrets"/>
    /// (<see cref="HubSignature"/>).</summary>
    public static bool IsSigned(ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets) =>
        HubSignature.IsValid(body, header, secrets);

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
