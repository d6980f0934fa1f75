using System.Text.Json;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.Discord;
using Org.BouncyCastle.Crypto.Parameters;

namespace Baton.Tests.Discord;

/// <summary>The verifier against vectors recorded by others, read in place from <c>../shared/fixtures</c>: RFC 8032 §7.1,
/// Wycheproof's Ed25519 verification cases (malleability, non-canonical encodings, edge-case values), and Discord's own
/// description of the scheme.</summary>
public sealed class InteractionSignatureConformanceTests
{
    static JsonElement Fixture(string path) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFixtures.Root, path))).RootElement;

    [ConformanceFact]
    public void Rfc8032_EveryVector_SignsAndVerifiesAsRecorded()
    {
        var vectors = Fixture("crypto/ed25519-rfc8032.json").GetProperty("vectors").EnumerateArray().ToList();

        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            var message = Convert.FromHexString(vector.GetProperty("message").GetString()!);
            var key = DiscordSignature.ParsePublicKey(vector.GetProperty("public_key").GetString())!;
            var signature = vector.GetProperty("signature").GetString()!;
            var secret = new Ed25519PrivateKeyParameters(Convert.FromHexString(vector.GetProperty("secret_key").GetString()!));

            // An empty timestamp is the plain Ed25519 message: the vectors test the primitive under Discord's framing.
            Assert.True(DiscordSignature.IsValid(message, "", signature, key), vector.GetProperty("name").GetString());
            Assert.Equal(signature, DiscordSignature.Sign(message, "", secret));
        }
    }

    [ConformanceFact]
    public void Wycheproof_EveryCase_IsAcceptedExactlyWhenValid()
    {
        var groups = Fixture("crypto/wycheproof-ed25519_test.json").GetProperty("testGroups").EnumerateArray().ToList();
        var failures = new List<string>();
        var count = 0;
        foreach (var group in groups)
        {
            var key = DiscordSignature.ParsePublicKey(group.GetProperty("publicKey").GetProperty("pk").GetString());
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                count++;
                var expected = test.GetProperty("result").GetString() == "valid";
                // The whole vector message as the body with an empty timestamp: the same bytes Ed25519 sees. Signatures of
                // the wrong length or with garbage go through the same hex decoding as the header does.
                var accepted = key is not null && DiscordSignature.IsValid(Convert.FromHexString(test.GetProperty("msg").GetString()!), "",
                    test.GetProperty("sig").GetString(), key);
                if (accepted != expected)
                    failures.Add($"tcId {test.GetProperty("tcId").GetInt32()}: expected {test.GetProperty("result").GetString()}");
            }
        }

        Assert.Equal(151, count);
        Assert.Empty(failures);
    }

    [ConformanceFact]
    public void DiscordScheme_HeadersAndFailureStatus_AreTheOnesBatonUses()
    {
        var scheme = Fixture("discord/interaction-signature-verification.json");

        Assert.Equal(DiscordSignature.SignatureHeader, scheme.GetProperty("headers").GetProperty("signature").GetString());
        Assert.Equal(DiscordSignature.TimestampHeader, scheme.GetProperty("headers").GetProperty("timestamp").GetString());
        Assert.Equal((int)DiscordCallbackType.Pong, scheme.GetProperty("ping").GetProperty("required_response_body").GetProperty("type").GetInt32());
    }
}
