using Baton.Tests.Webhooks;

namespace Baton.Tests.Emulator;

/// <summary>The emulator's webhooks into the real host's <c>POST /api/github/webhook</c>: verified, parsed, accepted.</summary>
public sealed class EmulatorToBatonWebhookTests(GitHubWebhookServerFixture fixture) : IClassFixture<GitHubWebhookServerFixture>
{
    [Fact]
    public async Task EveryKindOfChange_IsAcceptedByBaton()
    {
        await using var harness = await EmulatorHarness.StartAsync();
        var emulator = harness.Emulator;
        emulator.WebhookUrl = new Uri(fixture.Server.BaseAddress, "api/github/webhook");
        emulator.WebhookSecret = GitHubWebhookServerFixture.Secret;

        var milestone = emulator.CreateMilestone(EmulatorHarness.Repo, "AI Chat Widget");
        var blocker = emulator.CreateIssue(EmulatorHarness.Repo, "LLM tool API", "approved");
        var issue = emulator.CreateIssue(EmulatorHarness.Repo, "Chat UI");
        emulator.AddBlockedBy(issue, blocker);
        emulator.SetMilestone(issue, milestone);
        emulator.Comment(issue, "hello");
        var pull = emulator.OpenPullRequest(EmulatorHarness.Repo, "Tool API", "baton/issue-1");
        emulator.SetCheckConclusion(EmulatorHarness.Repo, emulator.GetPullRequest(pull).HeadSha, "failure");
        emulator.ApproveReview(pull, "reviewer");
        emulator.MergePullRequest(pull);
        emulator.CloseIssue(issue);
        emulator.CloseMilestone(EmulatorHarness.Repo, milestone);
        await emulator.WebhooksDeliveredAsync();

        var deliveries = emulator.Deliveries;
        Assert.Equal(14, deliveries.Count);
        Assert.All(deliveries, d => Assert.True(d.Status == 202, $"{d.Event}.{d.Action} answered {d.Status} {d.Error}"));
    }
}
