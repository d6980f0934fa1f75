using Baton.Durable.Testing;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>The GitHub router, with the engine scripted by the fake context (its clock stands still within an episode).</summary>
public sealed class RouteGitHubDeliveriesOrchestrationTests
{
    static GitHubDelivery Labeled(int issue) =>
        new($"d-{issue}", GitHubEvent.Issues, GitHubAction.Labeled, GitHubRouteKind.IssueChanged, "acme/app", issue, null, "octocat");

    static GitHubDelivery Closed(int issue) =>
        new($"c-{issue}", GitHubEvent.Issues, GitHubAction.Closed, GitHubRouteKind.IssueChanged, "acme/app", issue, null, "octocat");

    static FakeOrchestrationContext Router() =>
        new(nameof(RouteGitHubDeliveriesOrchestration), RouteGitHubDeliveriesOrchestration.InstanceId,
            new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc));

    [Fact]
    public async Task Deliveries_routed_at_one_time_wake_the_conductor_once_and_each_closed_issue_hears_of_it()
    {
        var fake = Router();
        // Waiting before it runs, so its first episode routes all three at one time. (Raised one after another while it
        // runs, each would race the router's continuation, which the fake context runs on the thread pool: a raise that
        // finds no waiter yet buffers the event while the continuation, finding no buffered event yet, adds the waiter.)
        foreach (var delivery in new[] { Labeled(1), Closed(2), Labeled(3) })
            fake.RaiseEvent(RouteGitHubDeliveriesOrchestration.DeliveryEvent, delivery);
        var run = fake.RunAsync(new RouteGitHubDeliveriesOrchestration(), GitHubRouterState.First);
        await WaitUntilRoutedAsync(fake, 3);
        fake.AdvanceTime(TimeSpan.FromSeconds(1));
        fake.RaiseEvent(RouteGitHubDeliveriesOrchestration.DeliveryEvent, Labeled(4));
        await WaitUntilRoutedAsync(fake, 4);

        Assert.False(run.IsCompleted);
        var wakes = fake.SentEvents.Where(e => e.Name == ConductorEvents.Wake).Select(e => (ConductorWake)e.Payload!).ToList();
        Assert.Equal(["issues.labeled acme/app#1", "issues.labeled acme/app#4"], wakes.Select(w => w.Reason));
        Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 1, DateTimeKind.Utc), wakes[1].SentAt);
        var closed = Assert.Single(fake.SentEvents, e => e.Name == ConductorEvents.IssueClosed);
        Assert.Equal(("issue:acme/app#2", "octocat"), (closed.InstanceId, (string)closed.Payload!));
    }

    [Fact]
    public async Task After_its_share_of_deliveries_it_continues_as_new_with_the_running_total()
    {
        var fake = Router();
        for (var i = 0; i < RouteGitHubDeliveriesOrchestration.DeliveriesPerExecution; i++)
            fake.RaiseEvent(RouteGitHubDeliveriesOrchestration.DeliveryEvent, Labeled(i));

        var next = await fake.RunAsync(new RouteGitHubDeliveriesOrchestration(), new GitHubRouterState(1000));

        Assert.Equal(1000 + RouteGitHubDeliveriesOrchestration.DeliveriesPerExecution, next.Routed);
        Assert.Same(next, fake.ContinuedAsNew!.NewInput);
        Assert.True(fake.ContinuedAsNew.PreserveUnprocessedEvents);
    }

    [Fact]
    public void A_new_execution_shows_its_running_total_before_any_delivery()
    {
        var fake = Router();

        _ = fake.RunAsync(new RouteGitHubDeliveriesOrchestration(), new GitHubRouterState(1000));

        Assert.Equal(new GitHubRouterState(1000), fake.CustomStatus);
    }

    static async Task WaitUntilRoutedAsync(FakeOrchestrationContext fake, long routed)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while ((fake.CustomStatus as GitHubRouterState)?.Routed != routed)
            await Task.Delay(5, timeout.Token);
    }
}
