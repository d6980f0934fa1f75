using Baton.Orchestrations.Pipeline;

namespace Baton.Tests.Pipeline;

/// <summary><see cref="GateRules.Decide"/> on the built-in defaults and on merged policies.</summary>
public sealed class GateDecideTests
{
    static GateDecision Decide(GatePolicy policy, params ChangedFile[] files) => GateRules.Decide(files, policy);

    static string[] Names(GateDecision decision) => decision.Classes.Select(c => c.Name()).ToArray();

    [Theory]
    [InlineData("src/auth/callback.ts", "auth-session")]
    [InlineData("src/Auth/TokenService.cs", "auth-session")]
    [InlineData("app/models/user_session.rb", "auth-session")]
    [InlineData("src/Web/SessionStore.cs", "auth-session")]
    [InlineData("web/pages/login.tsx", "auth-session")]
    [InlineData("src/Areas/Identity/Pages/Account/Manage.cshtml", "auth-session")]
    [InlineData("lib/password_reset.py", "auth-session")]
    [InlineData("services/payments/charge.go", "payments")]
    [InlineData("src/billing/invoice.ts", "payments")]
    [InlineData("src/integrations/stripe_webhook.py", "payments")]
    [InlineData("src/Shop/CheckoutController.cs", "payments")]
    [InlineData("db/migrations/20261121_add_orders.sql", "schema-migrations")]
    [InlineData("src/Data/Migrations/20261121_Init.cs", "schema-migrations")]
    [InlineData("db/schema.rb", "schema-migrations")]
    [InlineData("prisma/schema.prisma", "schema-migrations")]
    [InlineData("alembic/versions/abc123_add.py", "schema-migrations")]
    [InlineData("jobs/purge_old_events.py", "data-deletion")]
    [InlineData("src/Accounts/DeleteAccount.cs", "data-deletion")]
    [InlineData("config/retention.yml", "data-deletion")]
    [InlineData(".baton.yml", "baton-config")]
    public void Decide_DefaultGlobs_HitTheClass(string path, string expected)
    {
        var decision = Decide(GatePolicy.Defaults, new ChangedFile(path));

        Assert.Contains(expected, Names(decision));
        Assert.Contains(decision.Hits.Single(h => h.Class.Name() == expected).Triggers, t => t.Path == path && t.Why.StartsWith("matches `", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("README.md")]
    [InlineData("src/components/Button.tsx")]
    [InlineData("docs/authors.md")]                 // "author" is not "auth"
    [InlineData("src/api/orders.ts")]
    [InlineData("tests/unit/math.test.ts")]
    [InlineData("src/baton.yml")]                   // only the root file is gate config
    public void Decide_OrdinaryPaths_AreNotGated(string path) =>
        Assert.False(Decide(GatePolicy.Defaults, new ChangedFile(path, Patch: "@@ -1 +1 @@\n-a\n+b")).IsGated);

    [Fact]
    public void Decide_ManifestAddingADependency_IsNewDependencies()
    {
        var file = new ChangedFile("web/package.json", Patch: "@@ -3,3 +3,4 @@\n   \"dependencies\": {\n+    \"left-pad\": \"^1.3.0\",\n     \"react\": \"^18.2.0\"");

        var hit = Assert.Single(Decide(GatePolicy.Defaults, file).Hits);

        Assert.Equal(GateClass.NewDependencies, hit.Class);
        Assert.Equal("adds a dependency: `\"left-pad\": \"^1.3.0\",`", Assert.Single(hit.Triggers).Why);
    }

    [Fact]
    public void Decide_ManifestBumpOnly_IsNotGated()
    {
        var file = new ChangedFile("web/package.json", Patch: "@@ -3,3 +3,3 @@\n   \"dependencies\": {\n-    \"react\": \"^18.2.0\"\n+    \"react\": \"^18.3.1\"");

        Assert.False(Decide(GatePolicy.Defaults, file).IsGated);
    }

    [Theory]
    [InlineData("removed", null, false)]                     // removal only
    [InlineData("modified", null, true)]                     // no diff to check: gate
    [InlineData("added", "@@ -0,0 +1,2 @@\n+requests==2.32.3\n+pyyaml==6.0.1", true)]
    public void Decide_RequirementsFile_ByStatusAndPatch(string status, string? patch, bool gated) =>
        Assert.Equal(gated, Decide(GatePolicy.Defaults, new ChangedFile("requirements.txt", status, patch)).IsGated);

    [Fact]
    public void Decide_ConfiguredGlobOnAnUnknownManifest_GatesAnyChange()
    {
        var policy = GateRules.Policy(new GateOptions { Gates = { ["new-dependencies"] = ["vendor/**"] } }, null);

        var decision = Decide(policy, new ChangedFile("vendor/lib/x.js", Patch: "@@ -1 +1 @@\n-a\n+b"));

        Assert.Equal(["new-dependencies"], Names(decision));
    }

    [Fact]
    public void Decide_RenamedIntoHarmlessPath_StillMatchesTheOldPath()
    {
        var decision = Decide(GatePolicy.Defaults, new ChangedFile("src/legacy/old.ts", "renamed", PreviousPath: "src/payments/old.ts"));

        Assert.Equal(["payments"], Names(decision));
    }

    [Fact]
    public void Decide_DestructiveSqlInAnOrdinaryFile_IsDataDeletion()
    {
        var file = new ChangedFile("src/jobs/nightly.ts", Patch: "@@ -1,2 +1,3 @@\n const db = connect()\n+await db.query('DELETE FROM events WHERE created < now() - interval 90 day')");

        var hit = Assert.Single(Decide(GatePolicy.Defaults, file).Hits);

        Assert.Equal(GateClass.DataDeletion, hit.Class);
        Assert.StartsWith("adds deleting data: `await db.query('DELETE FROM", Assert.Single(hit.Triggers).Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_SeveralClasses_ListsEachWithItsPathsInClassOrder()
    {
        var decision = Decide(GatePolicy.Defaults,
            new ChangedFile("db/migrations/001.sql"), new ChangedFile("src/billing/plan.ts"), new ChangedFile("src/auth/jwt.ts"),
            new ChangedFile("src/billing/tax.ts"), new ChangedFile("README.md"));

        Assert.Equal(["auth-session", "payments", "schema-migrations"], Names(decision));
        Assert.Equal(["src/billing/plan.ts", "src/billing/tax.ts"], decision.Hits[1].Triggers.Select(t => t.Path));
        var comment = decision.Describe();
        Assert.Contains("**payments**", comment, StringComparison.Ordinal);
        Assert.Contains("- `src/billing/tax.ts`: matches `**/*billing*/**`", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_NoFiles_IsNotGated() => Assert.Equal(GateDecision.None.Hits, Decide(GatePolicy.Defaults).Hits);

    [Fact]
    public void Decide_InvalidRepositoryConfig_GatesAsBatonConfigWithTheErrorButKeepsServerRules()
    {
        var policy = GateRules.Policy(new GateOptions(), "gates:\n  paymnets: [\"src/pay/**\"]\n");

        var decision = Decide(policy, new ChangedFile("src/billing/plan.ts"));

        Assert.Equal(["payments", "baton-config"], Names(decision));
        var trigger = Assert.Single(decision.Hits[1].Triggers);
        Assert.Equal(".baton.yml", trigger.Path);
        Assert.Contains("unknown gate class `paymnets`", trigger.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_DisabledClass_IsNotGatedButItsRepositoryGlobsAre()
    {
        var policy = GateRules.Policy(new GateOptions(), """
            disable: [data-deletion, auth-session]
            gates:
              auth-session: ["src/security/**"]
            """);

        Assert.False(Decide(policy, new ChangedFile("jobs/purge.py"), new ChangedFile("src/auth/x.ts")).IsGated);
        Assert.Equal(["auth-session"], Names(Decide(policy, new ChangedFile("src/security/keys.ts"))));
    }

    [Fact]
    public void Decide_ManyTriggers_CommentShowsTenAndCountsTheRest()
    {
        var files = Enumerable.Range(1, 13).Select(i => new ChangedFile($"db/migrations/{i:000}.sql")).ToArray();

        var comment = Decide(GatePolicy.Defaults, files).Describe();

        Assert.Contains("`db/migrations/010.sql`", comment, StringComparison.Ordinal);
        Assert.DoesNotContain("`db/migrations/011.sql`", comment, StringComparison.Ordinal);
        Assert.Contains("… and 3 more", comment, StringComparison.Ordinal);
    }
}
