using Baton.Activities.Jira;
using Baton.Webhooks.Jira;

namespace Baton.Tests.Jira;

/// <summary>The routing table: only a configured project's issue entering its ready status is a feature to plan.</summary>
public sealed class JiraRoutesTests
{
    static readonly JiraOptions Options = new()
    {
        Projects =
        {
            ["SHOP"] = new JiraProjectOptions { Repository = "acme/shop" },
            ["OPS"] = new JiraProjectOptions { Repository = "acme/ops, acme/infra", ReadyStatus = "Selected" },
            ["DOCS"] = new JiraProjectOptions(),
        },
    };

    [Theory]
    [InlineData("SHOP-1", "SHOP", "Ready to build", JiraRouteKind.FeatureReady)]
    [InlineData("SHOP-1", "SHOP", "ready to BUILD", JiraRouteKind.FeatureReady)]
    [InlineData("SHOP-1", "SHOP", "In Progress", JiraRouteKind.Ignored)]
    [InlineData("SHOP-1", "SHOP", null, JiraRouteKind.Ignored)]
    [InlineData("OPS-3", "OPS", "Selected", JiraRouteKind.FeatureReady)]
    [InlineData("OPS-3", "OPS", "Ready to build", JiraRouteKind.Ignored)]
    [InlineData("DOCS-2", "DOCS", "Ready to build", JiraRouteKind.Ignored)]
    [InlineData("HR-2", "HR", "Ready to build", JiraRouteKind.Ignored)]
    [InlineData(null, null, "Ready to build", JiraRouteKind.Ignored)]
    public void Route_ReadyStatusOfAConfiguredProject_IsAFeature(string? issueKey, string? projectKey, string? entered, JiraRouteKind expected) =>
        Assert.Equal(expected, JiraRoutes.Route(issueKey, projectKey, entered, Options).Route);

    [Fact]
    public void ProjectFor_ListsRepositoriesAndFillsDefaults()
    {
        var ops = Options.ProjectFor("ops")!;

        Assert.Equal(["acme/ops", "acme/infra"], ops.Repositories);
        Assert.Equal(("Selected", "In Progress", "Done"), (ops.ReadyStatus, ops.InProgressStatus, ops.DoneStatus));
    }
}

/// <summary>Which comments answer a plan's approval.</summary>
public sealed class JiraPlanAnswerTests
{
    static readonly JiraOptions Options = new()
    {
        Projects = { ["SHOP"] = new JiraProjectOptions { Repository = "acme/shop" } },
        Approvers = ["priya-account"],
    };

    [Theory]
    [InlineData("comment_created", "SHOP", "/baton approve", "approve", null)]
    [InlineData("comment_created", "SHOP", "  /Baton Approve  thanks", "approve", "thanks")]
    [InlineData("comment_created", "SHOP", "/baton reject Split the API in two.", "reject", "Split the API in two.")]
    [InlineData("comment_created", "SHOP", "I think we should /baton approve", null, null)]
    [InlineData("comment_updated", "SHOP", "/baton approve", null, null)]
    [InlineData("comment_created", "HR", "/baton approve", null, null)]
    [InlineData("comment_created", "SHOP", "/baton maybe", null, null)]
    public void PlanAnswer_OnlyANewCommandCommentOfAConfiguredProject(string webhookEvent, string project, string text, string? action, string? feedback)
    {
        var answer = JiraRoutes.PlanAnswer(webhookEvent, project, text, "Priya", "priya-account", Options);

        Assert.Equal((action, feedback), (answer?.Action, answer?.Text));
        if (answer is not null) Assert.Equal("Priya", answer.By);
    }

    [Theory]
    [InlineData("mallory-account")]
    [InlineData(null)]
    public void PlanAnswer_FromAnyoneButAConfiguredApprover_AnswersNothing(string? accountId)
    {
        Assert.Null(JiraRoutes.PlanAnswer("comment_created", "SHOP", "/baton approve", "Priya", accountId, Options));
        Assert.Null(JiraRoutes.PlanAnswer("comment_created", "SHOP", "/baton approve", "Priya", "priya-account", new JiraOptions
            { Projects = { ["SHOP"] = new JiraProjectOptions { Repository = "acme/shop" } } }));   // none configured: replies never count
    }
}
