using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Conductor;

public sealed class DeliverySignalsTests
{
    static GitHubDelivery Delivery(string gitHubEvent, string? action) =>
        new("d-1", gitHubEvent, action, GitHubRoutes.Route(gitHubEvent, action), "acme/app", 7, null, "octocat");

    [Theory]
    [InlineData(GitHubEvent.Issues, GitHubAction.Labeled)]
    [InlineData(GitHubEvent.Issues, GitHubAction.Unlabeled)]
    [InlineData(GitHubEvent.Issues, GitHubAction.Reopened)]
    public void Board_changes_wake_the_conductor(string gitHubEvent, string action)
    {
        var signal = Assert.Single(DeliverySignals.For(Delivery(gitHubEvent, action)));

        Assert.Equal((ConductorEvents.ConductorInstanceId, ConductorEvents.Wake), (signal.InstanceId, signal.EventName));
        Assert.Contains("acme/app#7", ((ConductorWake)signal.Payload).Reason);
    }

    [Fact]
    public void A_closed_issue_also_ends_its_own_orchestration()
    {
        var signals = DeliverySignals.For(Delivery(GitHubEvent.Issues, GitHubAction.Closed));

        Assert.Equal([ConductorEvents.ConductorInstanceId, "issue:acme/app#7"], signals.Select(s => s.InstanceId));
        Assert.Equal(ConductorEvents.IssueClosed, signals[1].EventName);
    }

    [Fact]
    public void The_wake_carries_the_senders_time()
    {
        var sentAt = new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc);

        var wake = (ConductorWake)DeliverySignals.For(Delivery(GitHubEvent.Issues, GitHubAction.Labeled), sentAt).Single().Payload;

        Assert.Equal(sentAt, wake.SentAt);
    }

    [Fact]
    public void Ping_concerns_no_orchestration() => Assert.Empty(DeliverySignals.For(Delivery(GitHubEvent.Ping, null)));
}
