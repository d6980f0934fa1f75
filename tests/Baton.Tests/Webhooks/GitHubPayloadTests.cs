using System.Text.Json;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>Parsing and routing: the core tests on payloads written here (<see cref="WebhookPayloads"/>), the
/// <c>Recorded…</c> ones (conformance) on every payload recorded in <c>../shared/fixtures</c>.</summary>
public sealed class GitHubPayloadTests
{
    static readonly HashSet<string> TypedEvents =
    [
        GitHubEvent.Issues, GitHubEvent.IssueDependencies, GitHubEvent.SubIssues, GitHubEvent.IssueComment,
        GitHubEvent.PullRequest, GitHubEvent.PullRequestReview, GitHubEvent.CheckSuite, GitHubEvent.CheckRun,
        GitHubEvent.WorkflowRun, GitHubEvent.Milestone, GitHubEvent.Installation, GitHubEvent.Ping,
    ];

    public static TheoryData<string, string> EveryPayload()
    {
        var data = new TheoryData<string, string>();
        foreach (var (gitHubEvent, path) in GitHubFixtures.AllPayloads()) data.Add(gitHubEvent, path);
        return data;
    }

    /// <summary>Each hand-written payload of <see cref="WebhookPayloads"/> and the recorded delivery it stands for
    /// (sub_issue_added has none: the only sub_issues recording is parent_issue_added, which carries the other side).</summary>
    static readonly Dictionary<string, (byte[] Own, string Event, string File)> HandWritten = new()
    {
        ["issues.labeled"] = (WebhookPayloads.IssueLabeled, GitHubEvent.Issues, "labeled.payload.json"),
        ["issues.opened"] = (WebhookPayloads.IssueOpened, GitHubEvent.Issues, "opened.payload.json"),
        ["issues.closed"] = (WebhookPayloads.IssueClosed("o/r", 1, "octocat"), GitHubEvent.Issues, "closed.hephaestus.payload.json"),
        ["issues.locked"] = (WebhookPayloads.IssueLocked, GitHubEvent.Issues, "locked.payload.json"),
        ["push"] = (WebhookPayloads.Push, "push", "payload.json"),
        ["label.created"] = (WebhookPayloads.LabelCreated, "label", "created.payload.json"),
        ["ping"] = (WebhookPayloads.Ping, GitHubEvent.Ping, "payload.json"),
        ["pull_request.opened"] = (WebhookPayloads.PullRequestOpenedWithNullBody, GitHubEvent.PullRequest, "opened.with-null-body.json"),
        ["check_suite.completed"] = (WebhookPayloads.CheckSuiteCompleted, GitHubEvent.CheckSuite, "completed.payload.json"),
        ["issue_dependencies.blocked_by_added"] = (WebhookPayloads.BlockedByAdded, GitHubEvent.IssueDependencies, "blocked_by_added.payload.json"),
        ["workflow_run.completed"] = (WebhookPayloads.WorkflowRunCompleted, GitHubEvent.WorkflowRun, "completed.payload.json"),
        ["installation.created"] = (WebhookPayloads.InstallationCreated, GitHubEvent.Installation, "created.payload.json"),
    };

    public static TheoryData<string> HandWrittenNames() => [.. HandWritten.Keys];

    [ConformanceTheory]
    [MemberData(nameof(HandWrittenNames))]
    public void HandWrittenPayload_HasTheShapeOfTheRecordedOne(string name)
    {
        var (own, gitHubEvent, file) = HandWritten[name];

        var differences = JsonShape.Differences(System.Text.Encoding.UTF8.GetString(own), File.ReadAllText(GitHubFixtures.Payload(gitHubEvent, file)));

        Assert.True(differences.Count == 0, string.Join("\n", differences));
    }

    [ConformanceFact]
    public void Fixtures_CoverEveryTypedEvent()
    {
        var events = GitHubFixtures.AllPayloads().Select(p => p.Event).ToHashSet();

        Assert.True(GitHubFixtures.AllPayloads().Count() > 100, "the shared fixtures were not found or are incomplete");
        Assert.Equal([], TypedEvents.Where(e => !events.Contains(e)).ToArray());
    }

    [ConformanceTheory]
    [MemberData(nameof(EveryPayload))]
    public void Parse_RecordedPayload_ParsesAndRoutesOrIsIgnored(string gitHubEvent, string relativePath)
    {
        var body = File.ReadAllBytes(Path.Combine(GitHubFixtures.WebhooksRoot, relativePath));

        var payload = GitHubPayloadParser.Parse(gitHubEvent, body);
        var delivery = GitHubDelivery.From("delivery-1", gitHubEvent, payload);

        if (TypedEvents.Contains(gitHubEvent)) Assert.IsNotType<OtherGitHubEvent>(payload);
        else Assert.Equal(GitHubRouteKind.Ignored, delivery.Route);
        // Installations and organization-wide pings concern no single repository.
        if (delivery.Route is not (GitHubRouteKind.Ignored or GitHubRouteKind.Installation or GitHubRouteKind.Ping))
            Assert.NotNull(delivery.Repository);
    }

    [ConformanceFact]
    public void RecordedParse_IssueLabeled_ReadsIssueAndLabel()
    {
        var payload = Parse<IssuesEvent>(GitHubEvent.Issues, "labeled.payload.json");

        Assert.Equal(GitHubAction.Labeled, payload.Action);
        Assert.Equal(1, payload.Issue.Number);
        Assert.Equal(444500041, payload.Issue.Id);
        Assert.Equal("bug", payload.Label?.Name);
        Assert.Equal("Codertocat/Hello-World", payload.Repository?.FullName);
        Assert.Equal("Codertocat", payload.Sender?.Login);
    }

    [ConformanceTheory]
    [InlineData("opened.with-empty-body.payload.json")]
    [InlineData("opened.payload.json")]
    public void RecordedParse_IssueOpened_RoutesIssueChanged(string file)
    {
        var payload = Parse<IssuesEvent>(GitHubEvent.Issues, file);

        Assert.Equal(GitHubRouteKind.IssueChanged, GitHubDelivery.From("d", GitHubEvent.Issues, payload).Route);
    }

    [ConformanceFact]
    public void RecordedParse_PullRequestWithNullBody_ReadsHead()
    {
        var payload = Parse<PullRequestEvent>(GitHubEvent.PullRequest, "opened.with-null-body.json");

        Assert.False(string.IsNullOrEmpty(payload.PullRequest.Head.Sha));
        Assert.Equal(payload.Number, payload.PullRequest.Number);
    }

    [ConformanceFact]
    public void RecordedParse_BlockedByAdded_ReadsBothIssues()
    {
        var payload = Parse<IssueDependenciesEvent>(GitHubEvent.IssueDependencies, "blocked_by_added.payload.json");
        var delivery = GitHubDelivery.From("d", GitHubEvent.IssueDependencies, payload);

        Assert.Equal(1, payload.BlockedIssueId);
        Assert.Equal(2, payload.BlockingIssueId);
        Assert.NotNull(payload.BlockingIssue);
        Assert.Equal(GitHubRouteKind.DependencyChanged, delivery.Route);
        Assert.Equal(payload.BlockedIssue?.Number, delivery.IssueNumber);
    }

    [ConformanceFact]
    public void RecordedParse_SubIssueAdded_ReadsParentAndChild()
    {
        var payload = Parse<SubIssuesEvent>(GitHubEvent.SubIssues, "sub_issue_added.payload.json");

        Assert.Equal(payload.SubIssue?.Id, payload.SubIssueId);
        Assert.Equal(payload.ParentIssue?.Id, payload.ParentIssueId);
        Assert.NotNull(payload.SubIssueRepo?.FullName);
    }

    [ConformanceFact]
    public void RecordedParse_CheckSuiteCompleted_ReadsConclusionAndPullRequest()
    {
        var payload = Parse<CheckSuiteEvent>(GitHubEvent.CheckSuite, "completed.payload.json");

        Assert.Equal("success", payload.CheckSuite.Conclusion);
        Assert.Equal("ec26c3e57ca3a959ca5aad62de7213c562f8c821", payload.CheckSuite.HeadSha);
        Assert.Equal(2, payload.IssueNumber);
    }

    [ConformanceFact]
    public void RecordedParse_WorkflowRunCompleted_RoutesCiCompleted()
    {
        var payload = Parse<WorkflowRunEvent>(GitHubEvent.WorkflowRun, "completed.payload.json");

        Assert.Equal("success", payload.WorkflowRun.Conclusion);
        Assert.Equal(GitHubRouteKind.CiCompleted, GitHubDelivery.From("d", GitHubEvent.WorkflowRun, payload).Route);
    }

    [ConformanceFact]
    public void RecordedParse_InstallationCreated_ReadsInstallationId()
    {
        var payload = Parse<InstallationEvent>(GitHubEvent.Installation, "created.payload.json");

        Assert.Equal(957387, payload.Installation?.Id);
        Assert.NotEmpty(payload.Repositories);
    }

    [ConformanceFact]
    public void RecordedParse_Ping_RoutesPing()
    {
        var payload = Parse<PingEvent>(GitHubEvent.Ping, "payload.json");

        Assert.False(string.IsNullOrEmpty(payload.Zen));
        Assert.Equal(GitHubRouteKind.Ping, GitHubDelivery.From("d", GitHubEvent.Ping, payload).Route);
    }

    [Fact]
    public void Parse_IssueLabeled_ReadsIssueAndLabel()
    {
        var payload = Assert.IsType<IssuesEvent>(GitHubPayloadParser.Parse(GitHubEvent.Issues, WebhookPayloads.IssueLabeled));

        Assert.Equal(GitHubAction.Labeled, payload.Action);
        Assert.Equal(1, payload.Issue.Number);
        Assert.Equal(700100001, payload.Issue.Id);
        Assert.Equal("bug", payload.Label?.Name);
        Assert.Equal("baton-test/widget", payload.Repository?.FullName);
        Assert.Equal("octo-tester", payload.Sender?.Login);
    }

    [Fact]
    public void Parse_IssueOpenedWithNullBody_RoutesIssueChanged()
    {
        var payload = Assert.IsType<IssuesEvent>(GitHubPayloadParser.Parse(GitHubEvent.Issues, WebhookPayloads.IssueOpened));

        Assert.Equal(GitHubRouteKind.IssueChanged, GitHubDelivery.From("d", GitHubEvent.Issues, payload).Route);
    }

    [Fact]
    public void Parse_PullRequestWithNullBody_ReadsHead()
    {
        var payload = Assert.IsType<PullRequestEvent>(GitHubPayloadParser.Parse(GitHubEvent.PullRequest, WebhookPayloads.PullRequestOpenedWithNullBody));

        Assert.Equal("aa11bb22cc33dd44ee55ff6677889900aabbccdd", payload.PullRequest.Head.Sha);
        Assert.Equal(payload.Number, payload.PullRequest.Number);
    }

    [Fact]
    public void Parse_CheckSuiteCompleted_ReadsConclusionAndPullRequest()
    {
        var payload = Assert.IsType<CheckSuiteEvent>(GitHubPayloadParser.Parse(GitHubEvent.CheckSuite, WebhookPayloads.CheckSuiteCompleted));

        Assert.Equal("success", payload.CheckSuite.Conclusion);
        Assert.Equal("aa11bb22cc33dd44ee55ff6677889900aabbccdd", payload.CheckSuite.HeadSha);
        Assert.Equal(7, payload.IssueNumber);
    }

    [Fact]
    public void Parse_Ping_RoutesPing()
    {
        var payload = Assert.IsType<PingEvent>(GitHubPayloadParser.Parse(GitHubEvent.Ping, WebhookPayloads.Ping));

        Assert.Equal(123456, payload.HookId);
        Assert.Equal(GitHubRouteKind.Ping, GitHubDelivery.From("d", GitHubEvent.Ping, payload).Route);
    }

    [Fact]
    public void Parse_BlockedByAdded_ReadsBothIssues()
    {
        var payload = Assert.IsType<IssueDependenciesEvent>(GitHubPayloadParser.Parse(GitHubEvent.IssueDependencies, WebhookPayloads.BlockedByAdded));
        var delivery = GitHubDelivery.From("d", GitHubEvent.IssueDependencies, payload);

        Assert.Equal((700100011L, 700100012L), (payload.BlockedIssueId, payload.BlockingIssueId));
        Assert.Equal("https://api.github.com/repos/baton-test/tooling", payload.BlockingIssue?.RepositoryUrl);
        Assert.Equal(GitHubRouteKind.DependencyChanged, delivery.Route);
        Assert.Equal(11, delivery.IssueNumber);
    }

    [Fact]
    public void Parse_SubIssueAdded_ReadsParentAndChild()
    {
        var payload = Assert.IsType<SubIssuesEvent>(GitHubPayloadParser.Parse(GitHubEvent.SubIssues, WebhookPayloads.SubIssueAdded));

        Assert.Equal(payload.SubIssue?.Id, payload.SubIssueId);
        Assert.Equal(payload.ParentIssue?.Id, payload.ParentIssueId);
        Assert.Equal("baton-test/widget", payload.SubIssueRepo?.FullName);
        Assert.Equal(21, payload.IssueNumber);
    }

    [Fact]
    public void Parse_WorkflowRunCompleted_RoutesCiCompleted()
    {
        var payload = Assert.IsType<WorkflowRunEvent>(GitHubPayloadParser.Parse(GitHubEvent.WorkflowRun, WebhookPayloads.WorkflowRunCompleted));

        Assert.Equal("success", payload.WorkflowRun.Conclusion);
        Assert.Equal(7, payload.IssueNumber);
        Assert.Equal(GitHubRouteKind.CiCompleted, GitHubDelivery.From("d", GitHubEvent.WorkflowRun, payload).Route);
    }

    [Fact]
    public void Parse_InstallationCreated_ReadsInstallationId()
    {
        var payload = Assert.IsType<InstallationEvent>(GitHubPayloadParser.Parse(GitHubEvent.Installation, WebhookPayloads.InstallationCreated));

        Assert.Equal(4242, payload.Installation?.Id);
        Assert.Equal("baton-test/widget", Assert.Single(payload.Repositories).FullName);
    }

    [Theory]
    [InlineData("push")]
    [InlineData("label")]
    public void Parse_UntypedEvent_IsIgnored(string gitHubEvent)
    {
        var body = gitHubEvent == "push" ? WebhookPayloads.Push : WebhookPayloads.LabelCreated;

        var payload = Assert.IsType<OtherGitHubEvent>(GitHubPayloadParser.Parse(gitHubEvent, body));

        Assert.Equal(GitHubRouteKind.Ignored, GitHubDelivery.From("d", gitHubEvent, payload).Route);
    }

    [Theory]
    [InlineData(GitHubEvent.Issues, "{\"action\":\"opened\"}")]
    [InlineData(GitHubEvent.Issues, "{\"action\":\"opened\",\"issue\":null}")]
    [InlineData(GitHubEvent.Issues, "{\"action\":\"opened\",\"issue\":5}")]
    [InlineData(GitHubEvent.Issues, "null")]
    [InlineData("push", "[1,2]")]
    [InlineData("push", "{\"ref\":")]
    public void Parse_WrongShape_Throws(string gitHubEvent, string json)
    {
        Assert.ThrowsAny<JsonException>(() => GitHubPayloadParser.Parse(gitHubEvent, System.Text.Encoding.UTF8.GetBytes(json)));
    }

    [Theory]
    [InlineData(GitHubEvent.Issues, GitHubAction.Labeled, GitHubRouteKind.IssueChanged)]
    [InlineData(GitHubEvent.Issues, GitHubAction.Milestoned, GitHubRouteKind.MilestoneChanged)]
    [InlineData(GitHubEvent.Issues, "locked", GitHubRouteKind.Ignored)]
    [InlineData(GitHubEvent.IssueDependencies, GitHubAction.BlockedByRemoved, GitHubRouteKind.DependencyChanged)]
    [InlineData(GitHubEvent.IssueComment, GitHubAction.Created, GitHubRouteKind.CommentAdded)]
    [InlineData(GitHubEvent.IssueComment, GitHubAction.Deleted, GitHubRouteKind.Ignored)]
    [InlineData(GitHubEvent.PullRequestReview, GitHubAction.Submitted, GitHubRouteKind.ReviewSubmitted)]
    [InlineData(GitHubEvent.CheckRun, GitHubAction.Completed, GitHubRouteKind.CiCompleted)]
    [InlineData(GitHubEvent.CheckRun, GitHubAction.Created, GitHubRouteKind.Ignored)]
    [InlineData(GitHubEvent.Ping, null, GitHubRouteKind.Ping)]
    [InlineData("push", null, GitHubRouteKind.Ignored)]
    public void Route_EventAndAction_FollowsTable(string gitHubEvent, string? action, GitHubRouteKind expected)
    {
        Assert.Equal(expected, GitHubRoutes.Route(gitHubEvent, action));
    }

    static T Parse<T>(string gitHubEvent, string file) where T : GitHubWebhookPayload =>
        Assert.IsType<T>(GitHubPayloadParser.Parse(gitHubEvent, File.ReadAllBytes(GitHubFixtures.Payload(gitHubEvent, file))));
}
