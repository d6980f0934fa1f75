using System.Text.Json.Nodes;
using Baton.Orchestrations.Features;

namespace Baton.Tests.Features;

/// <summary>Plans as a model would answer them, written by the tests.</summary>
public static class FeaturePlans
{
    public static readonly FeatureBrief Brief = new("SHOP-1", "Gift cards", "Customers buy and redeem gift cards.", ["acme/shop", "acme/api"],
        "https://jira.example/browse/SHOP-1");

    /// <summary>A plan of <paramref name="issues"/> (id, repository, depends on).</summary>
    public static string Json(params (string Id, string Repository, string[] DependsOn)[] issues) => new JsonObject
    {
        ["issues"] = new JsonArray([.. issues.Select(i => (JsonNode)new JsonObject
        {
            ["id"] = i.Id,
            ["title"] = $"Build {i.Id}",
            ["body"] = $"Do {i.Id}.",
            ["acceptance_criteria"] = new JsonArray($"{i.Id} works"),
            ["priority"] = i.Id.StartsWith("api", StringComparison.Ordinal) ? "high" : "normal",
            ["depends_on"] = new JsonArray([.. i.DependsOn.Select(d => (JsonNode)d)]),
            ["repository"] = i.Repository,
        })]),
    }.ToJsonString();

    /// <summary>Three issues: the API first, then the page and the emails after it.</summary>
    public static string Valid => Json(("api", "acme/api", []), ("page", "acme/shop", ["api"]), ("emails", "acme/shop", ["api", "page"]));
}
