using Baton.Webhooks.Discord;

namespace Baton.Tests.Discord;

public sealed class InteractionApproverTests
{
    [Theory]
    [InlineData("user:80351110224678912", DiscordPrincipalKind.User, "80351110224678912", null)]
    [InlineData("role:41771983423143936", DiscordPrincipalKind.Role, "41771983423143936", null)]
    [InlineData("80351110224678912", DiscordPrincipalKind.User, "80351110224678912", null)]
    [InlineData("user:123=octocat", DiscordPrincipalKind.User, "123", "octocat")]
    [InlineData(" role:7 = release-team ", DiscordPrincipalKind.Role, "7", "release-team")]
    public void Parse_ValidEntry_ReadsKindIdAndLogin(string entry, DiscordPrincipalKind kind, string id, string? login)
    {
        var approvers = DiscordApprovers.Parse([entry]);

        Assert.Equal([new DiscordApprover(kind, id, login)], approvers.All);
    }

    [Theory]
    [InlineData("user:")]
    [InlineData("group:123")]
    [InlineData("user:abc")]
    [InlineData("user:123=")]
    [InlineData("user:123=not a login")]
    [InlineData("user:123=-dash")]
    [InlineData("role:1:2")]
    [InlineData("123456789012345678901")]
    public void Parse_MalformedEntry_ThrowsNamingItsPosition(string entry)
    {
        var e = Assert.Throws<FormatException>(() => DiscordApprovers.Parse(["1", entry]));

        Assert.Contains("Discord:Approvers:1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BlankEntries_AreSkipped() => Assert.Single(DiscordApprovers.Parse(["", null, "  ", "42"]).All);

    [Fact]
    public void Find_UserEntry_WinsOverRoleEntry()
    {
        var approvers = DiscordApprovers.Parse(["role:7=team", "user:42=ada"]);

        Assert.Equal("ada", approvers.Find("42", ["7"])?.GitHubLogin);
    }

    [Fact]
    public void Find_MemberOfAllowedRole_IsFound()
    {
        var approvers = DiscordApprovers.Parse(["role:7"]);

        Assert.Equal(new DiscordApprover(DiscordPrincipalKind.Role, "7", null), approvers.Find("42", ["3", "7"]));
    }

    [Fact]
    public void Find_RoleIdUsedAsUserId_IsNotFound()
    {
        // A role entry must not let a user whose id happens to equal the role's id through, nor the reverse.
        var approvers = DiscordApprovers.Parse(["role:7", "user:9"]);

        Assert.Null(approvers.Find("7", []));
        Assert.Null(approvers.Find("1", ["9"]));
    }
}
