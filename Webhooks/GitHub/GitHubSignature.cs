namespace Baton.Webhooks.GitHub;

/// <summary>
/// GitHub's <c>X-Hub-Signature-256</c>: <c>sha256=</c> and the hex HMAC-SHA256 of the raw body, keyed with the
/// webhook secret (<see cref="HubSignature"/>).
/// </summary>
public static class GitHubSignature
{
    public const string HeaderName = "X-Hub-Signature-256";

    /// <summary>The header value GitHub would send for <paramref name="body"/> signed with <paramref name="secret"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string secret) => HubSignature.Sign(body, secret);

    /// <summary>True when <paramref name="header"/> is a valid signature of <paramref name="body"/> under any of
    /// <paramref name="secrets"/> (several during a rotation).</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string? header, IReadOnlyList<string> secrets) =>
        HubSignature.IsValid(body, header, secrets);
}
