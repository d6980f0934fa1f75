using Baton.Orchestrations.Features;

namespace Baton.Tests.Features;

/// <summary>What makes a model's answer a plan: JSON, the schema, and sanity (references, cycles, repositories, size).</summary>
public sealed class FeatureRulesTests
{
    [Fact]
    public void Validate_ASoundPlan_IsValid()
    {
        var check = FeatureRules.Validate(FeaturePlans.Valid, FeaturePlans.Brief);

        Assert.True(check.IsValid, string.Join("; ", check.Errors));
        Assert.Equal(["api", "page", "emails"], check.Plan!.Issues.Select(i => i.Id));
        Assert.Equal(["api", "page"], check.Plan.Issues[2].DependsOn);
    }

    public static TheoryData<string, string, string> Invalid => new()
    {
        { "not JSON", "{\"issues\": [", "not JSON" },
        { "wrong priority", FeaturePlans.Valid.Replace("\"high\"", "\"urgent\"", StringComparison.Ordinal), "/issues/0/priority" },
        { "missing field", FeaturePlans.Valid.Replace("\"acceptance_criteria\"", "\"criteria\"", StringComparison.Ordinal), "/issues/0" },
        { "empty plan", "{\"issues\": []}", "/issues" },
        { "unknown dependency", FeaturePlans.Json(("a", "acme/shop", ["ghost"])), "depends on 'ghost'" },
        { "self dependency", FeaturePlans.Json(("a", "acme/shop", ["a"])), "depends on itself" },
        { "cycle", FeaturePlans.Json(("a", "acme/shop", ["c"]), ("b", "acme/shop", ["a"]), ("c", "acme/shop", ["b"])), "cycle: a → c → b → a" },
        { "duplicate id", FeaturePlans.Json(("a", "acme/shop", []), ("a", "acme/api", [])), "more than once" },
        { "other repository", FeaturePlans.Json(("a", "evil/repo", [])), "not one of" },
        { "too many", FeaturePlans.Json([.. Enumerable.Range(0, 26).Select(i => ($"i{i}", "acme/shop", Array.Empty<string>()))]), "/issues" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_ABadAnswer_SaysWhatIsWrong(string name, string answer, string expected)
    {
        var check = FeatureRules.Validate(answer, FeaturePlans.Brief);

        Assert.False(check.IsValid, name);
        Assert.Contains(check.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void IssueFor_CarriesLabelsMarkerAndTheLinkBack()
    {
        var plan = FeatureRules.Validate(FeaturePlans.Valid, FeaturePlans.Brief).Plan!;

        var spec = FeatureRules.IssueFor(FeaturePlans.Brief, plan.Issues[0], milestone: 4);

        Assert.Equal(["approved", "high-priority"], spec.Labels);
        Assert.Equal(4, spec.Milestone);
        Assert.EndsWith("<!-- baton:feature SHOP-1 issue api -->", spec.Body, StringComparison.Ordinal);
        Assert.Contains("[SHOP-1](https://jira.example/browse/SHOP-1)", spec.Body, StringComparison.Ordinal);
        Assert.Contains("- [ ] api works", spec.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ApprovalRequest_OffersApproveAndReject_AndShowsThePlan()
    {
        var plan = FeatureRules.Validate(FeaturePlans.Valid, FeaturePlans.Brief).Plan!;

        var request = FeatureRules.ApprovalRequest(FeaturePlans.Brief, plan, round: 2);

        Assert.Equal(("plan", "SHOP-1"), (request.Kind, request.Subject));
        Assert.Equal(["approve", "reject"], request.Actions);
        Assert.Contains("revision 2", request.Title, StringComparison.Ordinal);
        Assert.Contains("**Build emails** (`emails`, normal, acme/shop) — after `api`, `page`", request.Body, StringComparison.Ordinal);
        Assert.Null(request.Issue);
    }
}
