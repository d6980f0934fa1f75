using Baton.Orchestrations.Pipeline;

namespace Baton.Tests.Pipeline;

/// <summary>Parsing <c>.baton.yml</c>: never throws; an invalid file gives one clear message naming the line.</summary>
public sealed class RepositoryGateConfigTests
{
    [Fact]
    public void Parse_TheDocumentedExample_ReadsEveryPart()
    {
        var result = RepositoryGateConfig.Parse("""
            gates:
              payments: ["src/billing/**"]
              schema-migrations: ["db/**"]
            approvers: ["alice", "bob"]
            disable: ["data-deletion"]   # optional
            """);

        Assert.True(result.IsValid, result.Error);
        var config = result.Config!;
        Assert.Equal([GateClass.Payments, GateClass.SchemaMigrations], config.Gates.Select(g => g.Class));
        Assert.Equal(["src/billing/**"], config.Gates[0].Globs);
        Assert.Equal(["alice", "bob"], config.Approvers);
        Assert.Equal([GateClass.DataDeletion], config.Disable);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \n")]
    [InlineData("# only a comment\n")]
    [InlineData("~")]
    [InlineData("gates:\napprovers:\n")]
    public void Parse_EmptyFile_IsTheEmptyConfig(string? text)
    {
        var result = RepositoryGateConfig.Parse(text);

        Assert.True(result.IsValid, result.Error);
        Assert.Empty(result.Config!.Gates);
        Assert.Empty(result.Config.Approvers);
    }

    [Fact]
    public void Parse_BlockListsAndSingleStrings_AreAccepted()
    {
        var result = RepositoryGateConfig.Parse("gates:\n  SchemaMigrations:\n    - db/**\n    - sql/*.sql\n  payments: src/pay/**\napprovers: \"@Alice\"\n");

        Assert.True(result.IsValid, result.Error);
        Assert.Equal(["db/**", "sql/*.sql"], result.Config!.Gates[0].Globs);
        Assert.Equal(["src/pay/**"], result.Config.Gates[1].Globs);
        Assert.Equal(["Alice"], result.Config.Approvers);
    }

    [Theory]
    [InlineData("gates: [oops", "not valid YAML")]
    [InlineData("gates:\n  payments: [\"a\"]\n approvers: x\n", "not valid YAML")]
    [InlineData("- a\n- b\n", "line 1: the top level must be a mapping")]
    [InlineData("gates: {}\nreviewers: [alice]\n", "line 2: unknown key `reviewers` (expected gates, approvers, disable)")]
    [InlineData("gates:\n  paymnets: [\"src/**\"]\n", "line 2: unknown gate class `paymnets` under gates (expected auth-session, payments, schema-migrations, data-deletion, new-dependencies)")]
    [InlineData("gates:\n  baton-config: [\"x\"]\n", "line 2: `baton-config` under gates is built in and cannot be configured")]
    [InlineData("gates:\n  payments: [\"\"]\n", "every item of gates.payments must be a non-empty string")]
    [InlineData("gates:\n  payments: [\"a//b\"]\n", "line 2: glob `a//b` has an empty path segment under gates.payments")]
    [InlineData("gates:\n  payments: {a: b}\n", "line 2: gates.payments must be a list of strings")]
    [InlineData("gates: [\"src/**\"]\n", "line 1: gates must map class names to lists of globs")]
    [InlineData("approvers: [\"my-org/security\"]\n", "is not a GitHub login (teams are not supported; list people)")]
    [InlineData("approvers: [\"-bad-\"]\n", "`-bad-` under approvers is not a GitHub login")]
    [InlineData("disable: [everything]\n", "unknown gate class `everything` under disable")]
    [InlineData("a: 1\n---\nb: 2\n", "several YAML documents")]
    public void Parse_InvalidFile_GivesAClearError(string text, string expected)
    {
        var result = RepositoryGateConfig.Parse(text);

        Assert.Null(result.Config);
        Assert.StartsWith("`.baton.yml` is invalid: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralProblems_ReportsThemAll()
    {
        var result = RepositoryGateConfig.Parse("gatez: {}\ndisable: [nope]\n");

        Assert.Contains("unknown key `gatez`", result.Error, StringComparison.Ordinal);
        Assert.Contains("unknown gate class `nope`", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OversizeFile_IsRefusedUnread() =>
        Assert.Contains("at most 65536 are read", RepositoryGateConfig.Parse(new string('#', 70_000)).Error, StringComparison.Ordinal);
}
