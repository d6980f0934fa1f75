using System.Text;
using Baton.Webhooks.Jira;

namespace Baton.Tests.Jira;

/// <summary>Proof of origin: admin webhooks' <c>X-Hub-Signature</c> and automation rules' shared secret, with rotation.</summary>
public sealed class JiraSignatureTests
{
    static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"webhookEvent\":\"jira:issue_updated\"}");

    [Fact]
    public void IsSigned_AcceptsAnyConfiguredSecret()
    {
        var header = JiraSignature.Sign(Body, "new");

        Assert.True(JiraSignature.IsSigned(Body, header, ["old", "new"]));
        Assert.StartsWith("sha256=", header, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha256=zz")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    public void IsSigned_RefusesMalformedHeaders(string? header) => Assert.False(JiraSignature.IsSigned(Body, header, ["s"]));

    [Fact]
    public void IsSigned_RefusesAnotherSecretOrAnotherBody()
    {
        var header = JiraSignature.Sign(Body, "other");

        Assert.False(JiraSignature.IsSigned(Body, header, ["s"]));
        Assert.False(JiraSignature.IsSigned(Encoding.UTF8.GetBytes("{}"), JiraSignature.Sign(Body, "s"), ["s"]));
    }

    [Theory]
    [InlineData("rule-secret", true)]
    [InlineData("old-secret", true)]
    [InlineData("rule-secre", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void HasSharedSecret_ComparesWholeValues(string? header, bool expected) =>
        Assert.Equal(expected, JiraSignature.HasSharedSecret(header, ["rule-secret", "old-secret"]));
}
