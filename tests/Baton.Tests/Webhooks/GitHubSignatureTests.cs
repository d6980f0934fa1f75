using System.Text;
using System.Text.Json;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

public sealed class GitHubSignatureTests
{
    /// <summary>Written here: GitHub's documented example, and two computed with <c>openssl dgst -sha256 -hmac</c>.</summary>
    public static TheoryData<string, string, string> Vectors() => new()
    {
        { "It's a Secret to Everybody", "Hello, World!", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17" },
        { "baton test secret", "{\"zen\":\"Design for failure.\"}", "sha256=eaf5a2b9e6e34ddf293aba1229ba02ce497eaa6c553be6b28c1c930121dcddf6" },
        { "empty body secret", "", "sha256=a6586910a21c00838bb8ea11c24a6326f3ea49393e93b74eb29fd17e4ddbadae" },
    };

    /// <summary>The recorded vectors of <c>../shared/fixtures/crypto</c> (conformance).</summary>
    public static TheoryData<string, string, string> RecordedVectors()
    {
        var data = new TheoryData<string, string, string>();
        if (!File.Exists(GitHubFixtures.HmacVectors)) return data;
        using var document = JsonDocument.Parse(File.ReadAllText(GitHubFixtures.HmacVectors));
        foreach (var vector in document.RootElement.GetProperty("vectors").EnumerateArray())
            data.Add(vector.GetProperty("secret").GetString()!, vector.GetProperty("payload").GetString()!,
                vector.GetProperty("X-Hub-Signature-256").GetString()!);
        return data;
    }

    [ConformanceTheory]
    [MemberData(nameof(RecordedVectors))]
    public void Sign_RecordedVector_MatchesHeader(string secret, string payload, string header)
    {
        Assert.Equal(header, GitHubSignature.Sign(Encoding.UTF8.GetBytes(payload), secret));
        Assert.True(GitHubSignature.IsValid(Encoding.UTF8.GetBytes(payload), header, [secret]));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Sign_GitHubDocsVector_MatchesHeader(string secret, string payload, string header)
    {
        Assert.Equal(header, GitHubSignature.Sign(Encoding.UTF8.GetBytes(payload), secret));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void IsValid_GitHubDocsVector_ReturnsTrue(string secret, string payload, string header)
    {
        Assert.True(GitHubSignature.IsValid(Encoding.UTF8.GetBytes(payload), header, [secret]));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void IsValid_TamperedBody_ReturnsFalse(string secret, string payload, string header)
    {
        Assert.False(GitHubSignature.IsValid(Encoding.UTF8.GetBytes(payload + " "), header, [secret]));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void IsValid_RotatedSecretListed_ReturnsTrue(string secret, string payload, string header)
    {
        Assert.True(GitHubSignature.IsValid(Encoding.UTF8.GetBytes(payload), header, ["the new secret", secret]));
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void IsValid_UppercaseHexDigest_ReturnsTrue(string secret, string payload, string header)
    {
        Assert.True(GitHubSignature.IsValid(Encoding.UTF8.GetBytes(payload), "sha256=" + header["sha256=".Length..].ToUpperInvariant(), [secret]));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void IsValid_MalformedHeader_ReturnsFalse(string? header)
    {
        Assert.False(GitHubSignature.IsValid("Hello, World!"u8, header, ["It's a Secret to Everybody"]));
    }

    [Fact]
    public void IsValid_WrongSecret_ReturnsFalse()
    {
        var header = GitHubSignature.Sign("Hello, World!"u8, "It's a Secret to Everybody");

        Assert.False(GitHubSignature.IsValid("Hello, World!"u8, header, ["another secret"]));
    }

    [Fact]
    public void IsValid_NoSecrets_ReturnsFalse()
    {
        var header = GitHubSignature.Sign("Hello, World!"u8, "It's a Secret to Everybody");

        Assert.False(GitHubSignature.IsValid("Hello, World!"u8, header, []));
    }
}
