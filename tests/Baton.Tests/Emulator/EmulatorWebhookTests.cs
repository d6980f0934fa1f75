using Baton.Demo.GitHubEmulator;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Emulator;

/// <summary>Signed webhooks back from the emulator: order, signatures, delivery ids, payloads Baton's parser reads.</summary>
public sealed class EmulatorWebhookTests : IAsyncLifetime
{
    const string Secret = "emulator webhook secret";
    EmulatorHarness harness = null!;
    WebhookReceiver receiver = null!;

    GitHubEmulator Emulator => harness.Emulator;

    public async Task InitializeAsync()
    {
        harness = await EmulatorHarness.StartAsync();
        receiver = await WebhookReceiver.StartAsync();
        Emulator.WebhookUrl = receiver.Url;
        Emulator.WebhookSecret = Secret;
    }

    public async Task DisposeAsync()
    {
        await harness.DisposeAsync();
        await receiver.DisposeAsync();
    }

    [Fact]
    public async Task IssueLifecycle_ArrivesInOrderSignedAndParses()
    {
        var milestone = Emulator.CreateMilestone(EmulatorHarness.Repo, "AI Chat Widget");
        var blocker = Emulator.CreateIssue(EmulatorHarness.Repo, "LLM tool API");
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "Chat UI", "approved");
        Emulator.AddBlockedBy(issue, blocker);
        Emulator.SetMilestone(issue, milestone);
        Emulator.Assign(issue, "alice");
        Emulator.Comment(issue, "looks good");
        Emulator.RemoveLabel(issue, "approved");
        Emulator.CloseIssue(issue);
        Emulator.ReopenIssue(issue);
        Emulator.RemoveBlockedBy(issue, blocker);
        Emulator.CloseMilestone(EmulatorHarness.Repo, milestone);
        await Emulator.WebhooksDeliveredAsync();

        var received = receiver.Received;
        Assert.Equal(
            [
                "milestone.created", "issues.opened", "issues.opened", "issues.labeled", "issue_dependencies.blocked_by_added",
                "issues.milestoned", "issues.assigned", "issue_comment.created", "issues.unlabeled", "issues.closed", "issues.reopened",
                "issue_dependencies.blocked_by_removed", "milestone.closed",
            ],
            received.Select(r => $"{r.Event}.{Parse(r).Action}"));
        Assert.All(received, r => Assert.True(GitHubSignature.IsValid(r.Body, r.Signature, [Secret])));
        Assert.Equal(received.Count, received.Select(r => Guid.Parse(r.Delivery)).Distinct().Count());
        Assert.All(Emulator.Deliveries, d => Assert.True(d.Succeeded));

        var labeled = Assert.IsType<IssuesEvent>(Parse(received[3]));
        Assert.Equal((issue.Number, issue.Id, "approved", "acme/widgets", "octocat"),
            (labeled.Issue.Number, labeled.Issue.Id, labeled.Label?.Name, labeled.Repository?.FullName, labeled.Sender?.Login));
        var dependency = Assert.IsType<IssueDependenciesEvent>(Parse(received[4]));
        Assert.Equal((issue.Id, blocker.Id, issue.Number, blocker.Number),
            (dependency.BlockedIssueId, dependency.BlockingIssueId, dependency.IssueNumber, dependency.BlockingIssue?.Number));
        Assert.Equal("AI Chat Widget", Assert.IsType<IssuesEvent>(Parse(received[5])).Milestone?.Title);
        Assert.Equal("alice", Assert.IsType<IssuesEvent>(Parse(received[6])).Assignee?.Login);
        Assert.Equal("looks good", Assert.IsType<IssueCommentEvent>(Parse(received[7])).Comment.Body);
        Assert.Equal("closed", Assert.IsType<IssuesEvent>(Parse(received[9])).Issue.State);
        var closedMilestone = Assert.IsType<MilestoneEvent>(Parse(received[12])).Milestone;
        Assert.Equal(("closed", 1, 0), (closedMilestone.State, closedMilestone.OpenIssues, closedMilestone.ClosedIssues));
    }

    [Fact]
    public async Task PullRequestLifecycle_ChecksReviewAndMerge()
    {
        var pull = Emulator.OpenPullRequest(EmulatorHarness.Repo, "Add tool API", "baton/issue-1");
        var sha = Emulator.GetPullRequest(pull).HeadSha;
        Emulator.SetCheckConclusion(EmulatorHarness.Repo, sha, "success");
        Emulator.ApproveReview(pull, "reviewer");
        Emulator.MergePullRequest(pull);
        await Emulator.WebhooksDeliveredAsync();

        var events = receiver.Received.Select(Parse).ToList();
        Assert.Equal(
            ["opened", "completed", "completed", "submitted", "closed"],
            events.Select(e => e.Action));
        var opened = Assert.IsType<PullRequestEvent>(events[0]);
        Assert.Equal((pull.Number, "baton/issue-1", sha, "main"), (opened.PullRequest.Number, opened.PullRequest.Head.Ref, opened.PullRequest.Head.Sha, opened.PullRequest.Base.Ref));
        var run = Assert.IsType<CheckRunEvent>(events[1]);
        Assert.Equal(("ci", "success", sha, pull.Number), (run.CheckRun.Name, run.CheckRun.Conclusion, run.CheckRun.HeadSha, run.IssueNumber));
        var suite = Assert.IsType<CheckSuiteEvent>(events[2]);
        Assert.Equal(("success", pull.Number), (suite.CheckSuite.Conclusion, suite.IssueNumber));
        var review = Assert.IsType<PullRequestReviewEvent>(events[3]);
        Assert.Equal(("approved", sha, "reviewer"), (review.Review.State, review.Review.CommitId, review.Review.User?.Login));
        var closed = Assert.IsType<PullRequestEvent>(events[4]);
        Assert.Equal(("closed", true), (closed.PullRequest.State, closed.PullRequest.Merged));
    }

    [Fact]
    public async Task ApiChanges_AreAnnouncedWithTheTokenUserAsSender()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t");
        await harness.Client.AddLabelsAsync("acme", "widgets", issue.Number, ["in-progress"]);
        await harness.Client.AddAssigneesAsync("acme", "widgets", issue.Number, ["baton-bot"]);
        await Emulator.WebhooksDeliveredAsync();

        var events = receiver.Received.Select(Parse).ToList();
        Assert.Equal(["opened", "labeled", "assigned"], events.Select(e => e.Action));
        Assert.Equal(["octocat", Emulator.ApiUser, Emulator.ApiUser], events.Select(e => e.Sender?.Login));
    }

    [Fact]
    public async Task FailedDeliveries_AreRecordedNotRetried()
    {
        receiver.Status = 500;
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t");
        await Emulator.WebhooksDeliveredAsync();
        Emulator.WebhookUrl = new Uri("http://127.0.0.1:1/unreachable");
        Emulator.AddLabel(issue, "approved");
        await Emulator.WebhooksDeliveredAsync();

        var deliveries = Emulator.Deliveries;
        Assert.Equal(2, deliveries.Count);
        Assert.Equal((500, false), (deliveries[0].Status, deliveries[0].Succeeded));
        Assert.Null(deliveries[1].Status);
        Assert.NotNull(deliveries[1].Error);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task NoWebhookUrl_SendsNothing()
    {
        Emulator.WebhookUrl = null;
        Emulator.CreateIssue(EmulatorHarness.Repo, "t", "approved");
        await Emulator.WebhooksDeliveredAsync();

        Assert.Empty(Emulator.Deliveries);
        Assert.Empty(receiver.Received);
    }

    static GitHubWebhookPayload Parse(ReceivedWebhook webhook) => GitHubPayloadParser.Parse(webhook.Event, webhook.Body);
}
