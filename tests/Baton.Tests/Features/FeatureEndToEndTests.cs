using Baton.Demo.GitHubEmulator;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Functions.People;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Features;

/// <summary>
/// A Jira feature end to end on a real host (SQLite, the SDK worker) with the Jira, Ollama and GitHub emulators on loopback:
/// a person moves the issue to "Ready to build", Jira's signed webhook starts the feature, the scripted model answers once
/// malformed then with a plan, the plan is approved through <see cref="EscalationDesk"/>, and the milestone and its
/// dependent issues appear on GitHub while Jira gets the plan and a link. A second run of the same feature (a replay
/// after a crash) creates nothing.
/// </summary>
public sealed class FeatureEndToEndTests : IAsyncLifetime
{
    const string Secret = "jira-e2e-secret";
    readonly GitHubEmulator github = new();
    readonly JiraEmulator jira = new();
    readonly OllamaEmulator ollama = new();
    BatonServer server = null!;

    static readonly string[] CreatingRoutes =
    [
        "POST /repos/{owner}/{repo}/milestones",
        "POST /repos/{owner}/{repo}/issues",
        "POST /repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by",
    ];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(github.StartAsync(), jira.StartAsync(), ollama.StartAsync());
        github.CreateRepository("acme/shop");
        github.CreateRepository("acme/api");
        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "test-token",
                ["Jira:BaseUrl"] = jira.BaseUrl.ToString(),
                ["Jira:Email"] = jira.Email,
                ["Jira:ApiToken"] = jira.ApiToken,
                ["Jira:WebhookSecret"] = Secret,
                ["Jira:Approvers:0"] = JiraEmulator.PersonAccountId,
                ["Jira:Projects:SHOP:Repository"] = "acme/shop, acme/api",
                ["Ollama:BaseUrl"] = ollama.BaseUrl.ToString(),
                ["Ollama:Model"] = "planner",
                ["Jira:ProgressPollInterval"] = "00:00:01",
            },
        });
        jira.WebhookUrl = new Uri(server.BaseAddress, "/api/jira/webhook");
        jira.WebhookSecret = Secret;
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await Task.WhenAll(github.DisposeAsync().AsTask(), jira.DisposeAsync().AsTask(), ollama.DisposeAsync().AsTask());
    }

    EscalationDesk Desk => server.Services.GetRequiredService<EscalationDesk>();

    [Fact]
    public async Task A_ready_feature_is_planned_approved_and_created_once()
    {
        var key = jira.CreateIssue("SHOP", "Gift cards", "Customers buy gift cards and redeem them at checkout.");
        ollama.Script(new OllamaReply("{\"issues\": \"three of them\"}"), new OllamaReply(FeaturePlans.Valid));

        jira.Transition(key, "Ready to build");
        await jira.WebhooksDeliveredAsync();
        Assert.True(jira.Deliveries.Single().Succeeded);
        var approval = await OpenPlanAsync(key);

        // Nothing exists on GitHub before the approval; the model saw its first answer's errors.
        Assert.All(CreatingRoutes, route => Assert.Equal(0, github.Usage.Count(route)));
        Assert.Equal(2, ollama.Calls.Count);
        Assert.Contains("not a valid plan", ollama.Calls[1].Messages[1].Content, StringComparison.Ordinal);
        Assert.Contains("<untrusted-data", ollama.Calls[0].Messages[1].Content, StringComparison.Ordinal);

        await ApproveAsync(approval);
        var outcome = await FinishedAsync(FeatureOrchestration.InstanceIdFor(key));

        Assert.Equal(FeatureState.Created, outcome.State);
        var issues = outcome.Issues.ToDictionary(i => i.PlanId, i => github.GetIssue(new EmulatedIssueRef(i.Repository, i.Number, i.Id)));
        Assert.Equal(["approved", "high-priority"], issues["api"].Labels);
        Assert.Equal(["approved"], issues["page"].Labels);
        Assert.Equal([outcome.Issues[0].Id, outcome.Issues[1].Id], issues["emails"].BlockedBy.Select(b => b.Id).OrderBy(id => id));
        Assert.All(outcome.Issues, i => Assert.NotNull(issues[i.PlanId].Milestone));
        Assert.Equal(2, outcome.Milestones.Count);
        var jiraIssue = jira.Issue(key)!;
        // The plan was put to people on the issue too, then reported once created.
        Assert.Equal(2, jiraIssue.Comments.Count);
        Assert.Contains("/baton approve", jiraIssue.Comments[0].Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains(FeatureRules.JiraMarker(key), jiraIssue.Comments[1].Body.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(2, jiraIssue.RemoteLinks.Count);
        var created = CreatingRoutes.Select(github.Usage.Count).ToArray();
        Assert.Equal([2, 3, 3], created);

        // A second run (as after a crash before the first recorded its steps) finds everything and creates nothing.
        ollama.Script(new OllamaReply(FeaturePlans.Valid));
        const string rerun = "feature-rerun:SHOP-1";
        await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FeatureOrchestration), new FeatureRequest(key, "SHOP"),
            new StartOrchestrationOptions(rerun));
        await ApproveAsync(await OpenPlanAsync(key));
        var again = await FinishedAsync(rerun);

        Assert.Equal(outcome.Issues.Select(i => (i.Repository, i.Number)), again.Issues.Select(i => (i.Repository, i.Number)));
        Assert.Equal(created, CreatingRoutes.Select(github.Usage.Count).ToArray());
        Assert.Equal(2, jira.Issue(key)!.Comments.Count);
        Assert.Equal(2, jira.Issue(key)!.RemoteLinks.Count);
    }

    [Fact]
    public async Task A_redelivered_or_repeated_ready_webhook_starts_nothing_more()
    {
        var key = jira.CreateIssue("SHOP", "Wallet", "A wallet page.");
        ollama.Fallback = _ => new OllamaReply(FeaturePlans.Json(("wallet", "acme/shop", [])));

        jira.Transition(key, "Ready to build");
        jira.Transition(key, "To Do");
        jira.Transition(key, "Ready to build");
        await jira.WebhooksDeliveredAsync();
        await OpenPlanAsync(key);

        Assert.All(jira.Deliveries, d => Assert.True(d.Succeeded));
        Assert.Single(ollama.Calls);
        var open = await Desk.ListOpenAsync(default);
        Assert.Single(open, e => e.Status.Request.Subject == key);
    }

    [Fact]
    public async Task Jira_hears_back_in_progress_on_the_first_claim_and_done_with_the_merged_pull_requests()
    {
        var key = jira.CreateIssue("SHOP", "Loyalty points", "Points for every order.");
        ollama.Script(new OllamaReply(FeaturePlans.Json(("points", "acme/shop", []), ("badge", "acme/shop", ["points"]))));
        jira.Transition(key, "Ready to build");
        await ApproveAsync(await OpenPlanAsync(key));
        var outcome = await FinishedAsync(FeatureOrchestration.InstanceIdFor(key));
        var refs = outcome.Issues.Select(i => new EmulatedIssueRef(i.Repository, i.Number, i.Id)).ToList();

        github.AddLabel(refs[0], "in-progress");
        await EventuallyAsync(() => jira.Issue(key)!.Status == "In Progress");
        var pull = github.OpenPullRequest("acme/shop", "Award points", $"baton/{refs[0].Number}-award-points");
        github.MergePullRequest(pull);
        foreach (var issue in refs) github.CloseIssue(issue);
        github.CloseMilestone("acme/shop", outcome.Milestones.Single().Number);
        var followed = await server.Client.WaitForInstanceCompletionAsync(FollowFeatureOrchestration.InstanceIdFor(key), getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        Assert.Equal(JiraMoveResult.Moved, followed.ReadOutputAs<FeatureFollowUpResult>()!.Done);
        Assert.Equal("Done", jira.Issue(key)!.Status);
        var done = jira.Issue(key)!.Comments.Select(c => c.Body.ToJsonString()).Single(c => c.Contains(FeatureRules.DoneMarker(key), StringComparison.Ordinal));
        Assert.Contains($"acme/shop#{pull.Number} Award points", done, StringComparison.Ordinal);
    }

    /// <summary>The issue's measured case, counted (not timed: timing belongs to bench/): a 20-issue plan with 40 dependencies
    /// makes 61 creating calls (a milestone, 20 issues, 40 blocked-by links) and a second run makes none.</summary>
    [Fact]
    public async Task A_twenty_issue_plan_with_forty_dependencies_is_created_once()
    {
        var key = jira.CreateIssue("SHOP", "Storefront", "A whole storefront.");
        // Each issue after the first depends on the one or two before it (37), and three on the one three back: 40.
        var plan = FeaturePlans.Json([.. Enumerable.Range(0, 20).Select(i => ($"part-{i}", "acme/shop",
            Enumerable.Range(1, i >= 3 && i <= 5 ? 3 : 2).Select(back => i - back).Where(d => d >= 0).Select(d => $"part-{d}").ToArray()))]);
        Assert.Equal(40, FeatureRules.Validate(plan, FeaturePlans.Brief with { Repositories = ["acme/shop"] }).Plan!.Issues.Sum(i => i.DependsOn.Count));
        ollama.Fallback = _ => new OllamaReply(plan);

        jira.Transition(key, "Ready to build");
        await ApproveAsync(await OpenPlanAsync(key));
        var first = await FinishedAsync(FeatureOrchestration.InstanceIdFor(key));
        var created = CreatingRoutes.Select(github.Usage.Count).ToArray();

        const string rerun = "feature-rerun:SHOP-storefront";
        await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(FeatureOrchestration), new FeatureRequest(key, "SHOP"), new StartOrchestrationOptions(rerun));
        await ApproveAsync(await OpenPlanAsync(key));
        var again = await FinishedAsync(rerun);

        Assert.Equal([1, 20, 40], created);
        Assert.Equal(created, CreatingRoutes.Select(github.Usage.Count).ToArray());
        Assert.Equal(first.Issues.Select(i => i.Number), again.Issues.Select(i => i.Number));
        Assert.Equal(40, first.Issues.Sum(i => github.GetIssue(new EmulatedIssueRef(i.Repository, i.Number, i.Id)).BlockedBy.Count));
    }

    /// <summary>Until people answer on Discord or the dashboard, the plan is on the Jira issue too: a reply answers it.</summary>
    [Fact]
    public async Task A_plan_is_answered_by_replying_on_the_Jira_issue()
    {
        var key = jira.CreateIssue("SHOP", "Coupons", "Coupons at checkout.");
        ollama.Script(new OllamaReply(FeaturePlans.Json(("coupons", "acme/shop", []), ("banner", "acme/shop", ["coupons"]))),
            new OllamaReply(FeaturePlans.Json(("coupons", "acme/shop", []))));
        jira.Transition(key, "Ready to build");
        await OpenPlanAsync(key);
        Assert.Contains(jira.Issue(key)!.Comments, c => c.Body.ToJsonString().Contains("/baton approve", StringComparison.Ordinal));

        jira.Comment(key, "/baton reject One issue is enough.", by: "Priya");
        await EventuallyAsync(() => ollama.Calls.Count == 2);
        await OpenPlanAsync(key);
        jira.Comment(key, "Nice plan!", by: "Sam");
        jira.Comment(key, "/baton approve", by: "Mallory", accountId: "not-an-approver");   // ignored: not an approver
        jira.Comment(key, "/baton approve", by: "Priya");
        var outcome = await FinishedAsync(FeatureOrchestration.InstanceIdFor(key));

        Assert.Equal(FeatureState.Created, outcome.State);
        Assert.Equal(["coupons"], outcome.Issues.Select(i => i.PlanId));
        Assert.Contains("One issue is enough.", ollama.Calls[1].Messages[1].Content, StringComparison.Ordinal);
        await jira.WebhooksDeliveredAsync();
        Assert.All(jira.Deliveries, d => Assert.True(d.Succeeded));
    }

    static Task EventuallyAsync(Func<bool> condition) => Eventually.HoldsAsync(condition);

    /// <summary>The key of the plan's open approval, once it is asked.</summary>
    async Task<string> OpenPlanAsync(string issueKey)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var open = await Desk.ListOpenAsync(timeout.Token);
            if (open.FirstOrDefault(e => e.Status.Request.Kind == FeatureRules.ApprovalKind && e.Status.Request.Subject == issueKey
                    && e.Status.NextReminderAt is not null) is { Key: { } key }) return key;
            await Task.Delay(50, timeout.Token);
        }
    }

    async Task ApproveAsync(string escalationKey)
    {
        var answer = await Desk.AnswerAsync(escalationKey, new EscalationAnswer(EscalationActions.Approve, null, "ada", "dashboard", DateTime.UtcNow),
            TimeSpan.FromSeconds(10), default);
        Assert.Equal(DeskVerdict.Applied, answer.Verdict);
    }

    async Task<FeatureOutcome> FinishedAsync(string instanceId)
    {
        var done = await server.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        Assert.True(done.RuntimeStatus == OrchestrationRuntimeStatus.Completed, done.FailureDetails?.ToString());
        return done.ReadOutputAs<FeatureOutcome>()!;
    }
}
