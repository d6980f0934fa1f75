using Baton.Orchestrations.Pipeline;
using Microsoft.Extensions.Configuration;

namespace Baton.Tests.Pipeline;

/// <summary>Defaults + server config (<see cref="GateOptions"/>) + <c>.baton.yml</c>.</summary>
public sealed class GatePolicyTests
{
    static GateOptions Bind(params (string Key, string Value)[] settings)
    {
        // The keys as an operator writes them in local.settings.json Values or the environment.
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key.Replace("__", ":", StringComparison.Ordinal), (string?)s.Value)))
            .Build();
        return configuration.GetSection(GateOptions.SectionName).Get<GateOptions>() ?? new GateOptions();
    }

    [Fact]
    public void ServerPolicy_EnvironmentStyleKeys_AddGlobsAndApprovers()
    {
        var options = Bind(("Pipeline__Gates__payments__0", "src/ledger/**"), ("Pipeline__Gates__SchemaMigrations__0", "db/**"),
            ("Pipeline__Approvers__0", "Alice"), ("Pipeline__Approvers__1", "@bob"), ("Pipeline__Implementer", "claude-code"));

        var policy = GateRules.ServerPolicy(options);

        Assert.Empty(policy.ConfigErrors);
        Assert.Contains("src/ledger/**", policy.GlobsFor(GateClass.Payments));
        Assert.Contains("**/*billing*/**", policy.GlobsFor(GateClass.Payments));
        Assert.Contains("db/**", policy.GlobsFor(GateClass.SchemaMigrations));
        Assert.Equal(["Alice", "bob"], policy.Approvers);
        Assert.True(policy.ApproverSet().Contains("alice"));
    }

    [Fact]
    public void ServerPolicy_ReplaceDefaultGates_KeepsOnlyTheConfiguredGlobsOfListedClasses()
    {
        var policy = GateRules.ServerPolicy(Bind(("Pipeline__ReplaceDefaultGates", "true"), ("Pipeline__Gates__payments__0", "src/ledger/**")));

        Assert.Equal(["src/ledger/**"], policy.GlobsFor(GateClass.Payments));
        Assert.Contains("**/migrations/**", policy.GlobsFor(GateClass.SchemaMigrations));
    }

    [Fact]
    public void ServerPolicy_DisabledGates_EmptiesTheClass()
    {
        var policy = GateRules.ServerPolicy(Bind(("Pipeline__DisabledGates__0", "data-deletion")));

        Assert.Empty(policy.GlobsFor(GateClass.DataDeletion));
        Assert.Equal([GateClass.DataDeletion], policy.Disabled);
    }

    [Theory]
    [InlineData("Pipeline__Gates__paymentz__0", "x/**", "Pipeline:Gates: unknown gate class `paymentz`")]
    [InlineData("Pipeline__Gates__baton-config__0", "x/**", "unknown gate class `baton-config`")]
    [InlineData("Pipeline__DisabledGates__0", "everything", "Pipeline:DisabledGates: unknown gate class `everything`")]
    [InlineData("Pipeline__Gates__payments__0", "a//b", "Pipeline:Gates:payments: glob `a//b` has an empty path segment")]
    public void ServerPolicy_BadSettings_BecomeConfigErrorsNotExceptions(string key, string value, string expected)
    {
        var policy = GateRules.ServerPolicy(Bind((key, value)));

        Assert.Contains(policy.ConfigErrors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_RepositoryConfig_AddsGlobsAndApproversToTheServers()
    {
        var policy = GateRules.Policy(Bind(("Pipeline__Approvers__0", "carol")), """
            gates:
              payments: ["src/billing/**"]
              schema-migrations: db/**
            approvers: ["alice", "bob", "Carol"]
            """);

        Assert.Empty(policy.ConfigErrors);
        Assert.Contains("src/billing/**", policy.GlobsFor(GateClass.Payments));
        Assert.Contains("**/*stripe*", policy.GlobsFor(GateClass.Payments));
        Assert.Contains("db/**", policy.GlobsFor(GateClass.SchemaMigrations));
        Assert.Equal(["carol", "alice", "bob"], policy.Approvers);
    }

    [Fact]
    public void Policy_RepositoryDisableWhenTheServerForbidsIt_IsAConfigError()
    {
        var policy = GateRules.Policy(Bind(("Pipeline__AllowRepositoryDisable", "false")), "disable: [payments]");

        Assert.NotEmpty(policy.GlobsFor(GateClass.Payments));
        Assert.Contains(policy.ConfigErrors, e => e.Contains("does not let repositories disable gates", StringComparison.Ordinal));
    }

    [Fact]
    public void Policy_NoRepositoryFile_IsTheServerPolicy()
    {
        var server = GateRules.ServerPolicy(new GateOptions());

        var policy = GateRules.Policy(new GateOptions(), null);

        Assert.Equal(server.Rules.Select(r => r.Globs.Count), policy.Rules.Select(r => r.Globs.Count));
        Assert.Empty(policy.ConfigErrors);
    }
}
