using System.Security.Cryptography;
using System.Text;

namespace Baton.Durable.Http;

/// <summary>
/// Checks a presented API key against the configured ones in constant time. Both sides are hashed first so
/// the comparison takes the same time whatever the lengths, and every configured key is compared (no early
/// exit), so timing reveals neither a key's length nor how much of it matched.
/// </summary>
public sealed class ApiKeyMatcher
{
    readonly byte[][] keyHashes;

    public ApiKeyMatcher(IEnumerable<string> keys) =>
        keyHashes = keys.Where(k => !string.IsNullOrEmpty(k)).Select(Hash).ToArray();

    /// <summary>True when no key is configured (the API then only serves loopback callers).</summary>
    public bool IsEmpty => keyHashes.Length == 0;

    public bool Matches(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || IsEmpty) return false;
        var presentedHash = Hash(presented);
        var match = false;
        foreach (var keyHash in keyHashes)
            match |= CryptographicOperations.FixedTimeEquals(presentedHash, keyHash);
        return match;
    }

    static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
