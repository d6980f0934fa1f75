using System.Globalization;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;

namespace Baton.Webhooks.Discord;

/// <summary>
/// Discord's interaction signature: <c>X-Signature-Ed25519</c> is the hex Ed25519 signature, under the application's
/// public key, of the UTF-8 <c>X-Signature-Timestamp</c> value followed by the raw body. Checked over the bytes as
/// received, before any parsing. .NET has no Ed25519, so BouncyCastle verifies (STACK.md).
/// </summary>
public static class DiscordSignature
{
    public const string SignatureHeader = "X-Signature-Ed25519";
    public const string TimestampHeader = "X-Signature-Timestamp";

    const int SignatureBytes = 64;
    const int KeyBytes = 32;

    /// <summary>The application's public key from its 64 hex digits, or null when that is not a valid Ed25519 key.</summary>
    public static Ed25519PublicKeyParameters? ParsePublicKey(string? hex)
    {
        if (hex is null || hex.Length != KeyBytes * 2) return null;
        try
        {
            return new Ed25519PublicKeyParameters(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            // Not a point on the curve.
            return null;
        }
    }

    /// <summary>The header value Discord would send for <paramref name="body"/> at <paramref name="timestamp"/>.</summary>
    public static string Sign(ReadOnlySpan<byte> body, string timestamp, Ed25519PrivateKeyParameters key)
    {
        var message = SignedMessage(body, timestamp);
        var signer = new Ed25519Signer();
        signer.Init(true, key);
        signer.BlockUpdate(message, 0, message.Length);
        return Convert.ToHexStringLower(signer.GenerateSignature());
    }

    /// <summary>True when <paramref name="signature"/> is the key's signature of <paramref name="timestamp"/> + <paramref name="body"/>.
    /// Whether the timestamp is acceptable is <see cref="IsFresh"/>'s question, asked first by intake.</summary>
    public static bool IsValid(ReadOnlySpan<byte> body, string? timestamp, string? signature, Ed25519PublicKeyParameters key)
    {
        if (timestamp is null || signature is null || signature.Length != SignatureBytes * 2) return false;
        var claimed = new byte[SignatureBytes];
        if (Convert.FromHexString(signature, claimed, out _, out var written) != System.Buffers.OperationStatus.Done || written != SignatureBytes)
            return false;
        var message = SignedMessage(body, timestamp);
        // Ed25519 verification recomputes R from public values only; it has no secret whose comparison could leak timing.
        var verifier = new Ed25519Signer();
        verifier.Init(false, key);
        verifier.BlockUpdate(message, 0, message.Length);
        return verifier.VerifySignature(claimed);
    }

    /// <summary>
    /// True when <paramref name="timestamp"/> (Unix seconds, as Discord sends it) is within <paramref name="tolerance"/> of
    /// <paramref name="now"/>. A signature stays valid forever, so without this a captured request could be replayed at
    /// any later time; within the window a replay is harmless because answers are idempotent (first answer wins).
    /// </summary>
    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan tolerance)
    {
        if (timestamp is null || timestamp.Length > 12
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return false;
        var age = now.ToUnixTimeSeconds() - seconds;
        return Math.Abs(age) <= (long)tolerance.TotalSeconds;
    }

    static byte[] SignedMessage(ReadOnlySpan<byte> body, string timestamp)
    {
        var prefixLength = Encoding.UTF8.GetByteCount(timestamp);
        var message = new byte[prefixLength + body.Length];
        Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message.AsSpan(prefixLength));
        return message;
    }
}
