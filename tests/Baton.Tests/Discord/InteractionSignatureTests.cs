using System.Text;
using Baton.Demo.DiscordEmulator;
using Baton.Webhooks.Discord;

namespace Baton.Tests.Discord;

/// <summary>The Ed25519 check with a key pair of the test's own (the conformance vectors are in
/// <see cref="InteractionSignatureConformanceTests"/>).</summary>
public sealed class InteractionSignatureTests
{
    static readonly DiscordApplicationKey Key = DiscordApplicationKey.Generate();
    static readonly byte[] Body = """{"id":"1","type":1}"""u8.ToArray();
    const string Timestamp = "1733241600";

    static bool Verify(byte[] body, string? timestamp, string? signature) =>
        DiscordSignature.IsValid(body, timestamp, signature, DiscordSignature.ParsePublicKey(Key.PublicKeyHex)!);

    [Fact]
    public void IsValid_SignedByTheKey_ReturnsTrue() => Assert.True(Verify(Body, Timestamp, Key.Sign(Body, Timestamp)));

    [Fact]
    public void IsValid_UppercaseHexSignature_ReturnsTrue() =>
        Assert.True(Verify(Body, Timestamp, Key.Sign(Body, Timestamp).ToUpperInvariant()));

    [Fact]
    public void IsValid_OneBodyByteChanged_ReturnsFalse()
    {
        var signature = Key.Sign(Body, Timestamp);
        var mutated = (byte[])Body.Clone();
        mutated[^2] ^= 0x01;

        Assert.False(Verify(mutated, Timestamp, signature));
    }

    [Fact]
    public void IsValid_OtherTimestamp_ReturnsFalse() => Assert.False(Verify(Body, "1733241601", Key.Sign(Body, Timestamp)));

    [Fact]
    public void IsValid_TimestampDigitMovedIntoBody_StillVerifiesButIsStale()
    {
        // Discord signs timestamp + body with no separator, so the same bytes split differently verify too. What refuses
        // the split is freshness: one digit fewer is a timestamp ten times older.
        var signature = Key.Sign(Body, Timestamp);
        var shortened = Timestamp[..^1];

        Assert.True(Verify([.. Encoding.UTF8.GetBytes(Timestamp[^1..]), .. Body], shortened, signature));
        Assert.False(DiscordSignature.IsFresh(shortened, DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp,
            System.Globalization.CultureInfo.InvariantCulture)), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void IsValid_OtherKeysSignature_ReturnsFalse() =>
        Assert.False(Verify(Body, Timestamp, DiscordApplicationKey.Generate().Sign(Body, Timestamp)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("zz")]
    [InlineData("00")]
    public void IsValid_MalformedSignature_ReturnsFalse(string? signature) => Assert.False(Verify(Body, Timestamp, signature));

    [Fact]
    public void IsValid_NonHexSignatureOfTheRightLength_ReturnsFalse() =>
        Assert.False(Verify(Body, Timestamp, new string('g', 128)));

    [Fact]
    public void IsValid_SignatureWithTrailingGarbage_ReturnsFalse() =>
        Assert.False(Verify(Body, Timestamp, Key.Sign(Body, Timestamp) + "00"));

    [Fact]
    public void IsValid_NoTimestampHeader_ReturnsFalse() => Assert.False(Verify(Body, null, Key.Sign(Body, "")));

    [Theory]
    [InlineData("now", true)]
    [InlineData("-299", true)]
    [InlineData("+299", true)]
    [InlineData("-301", false)]
    [InlineData("+301", false)]
    public void IsFresh_OffsetFromNow_AcceptsOnlyWithinTolerance(string offset, bool fresh)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_733_241_600);
        var at = offset == "now" ? now : now.AddSeconds(int.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(fresh, DiscordSignature.IsFresh(InteractionSender.Timestamp(at), now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1733241600")]
    [InlineData("1733241600.5")]
    [InlineData(" 1733241600")]
    [InlineData("99999999999999999999999")]
    public void IsFresh_NotUnixSeconds_ReturnsFalse(string? timestamp) =>
        Assert.False(DiscordSignature.IsFresh(timestamp, DateTimeOffset.FromUnixTimeSeconds(1_733_241_600), TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abcd")]
    [InlineData("zz4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa")]
    [InlineData("7d4d0e7f6153a69b6242b522abbee685fda4420f8834b108c3bdae369ef549fa00")]
    public void ParsePublicKey_NotAKey_ReturnsNull(string? hex) => Assert.Null(DiscordSignature.ParsePublicKey(hex));

    [Fact]
    public void ParsePublicKey_GeneratedKey_Parses() => Assert.NotNull(DiscordSignature.ParsePublicKey(Key.PublicKeyHex));
}
