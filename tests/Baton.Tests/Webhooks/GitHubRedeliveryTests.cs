using System.Net;
using Baton.Orchestrations;
using Baton.Testing;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask.Client;

namespace Baton.Tests.Webhooks;

/// <summary>
/// Redeliveries, on each store: one delivery id sent many times, at once and one after another, is recorded once and
/// answered 202 every time; exactly one routing instance is started, and it finishes.
/// </summary>
public abstract class GitHubRedeliveryTests(BatonServer server)
{
    public const string Secret = "redelivery secret";

    public static IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["GitHub:WebhookSecret"] = Secret };

    [Fact]
    public async Task Post_SameDeliveryConcurrentlyAndAgain_RecordsItOnce()
    {
        var deliveryId = Guid.NewGuid().ToString();

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostAsync(deliveryId)));
        var again = await PostAsync(deliveryId);

        Assert.All(concurrent.Append(again), r => Assert.Equal(HttpStatusCode.Accepted, r.Status));
        Assert.Equal(1, concurrent.Count(r => r.Outcome == "recorded"));
        Assert.Equal("duplicate", again.Outcome);
        var routing = await server.Client.WaitForInstanceCompletionAsync(RouteGitHubDeliveryOrchestration.InstanceIdFor(deliveryId))
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, routing.RuntimeStatus);
    }

    [Fact]
    public async Task Post_ThousandRedeliveriesOfARoutedDelivery_StartAndChangeNothing()
    {
        var deliveryId = Guid.NewGuid().ToString();
        Assert.Equal("recorded", (await PostAsync(deliveryId)).Outcome);
        var instanceId = RouteGitHubDeliveryOrchestration.InstanceIdFor(deliveryId);
        var routed = await server.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true).WaitAsync(TimeSpan.FromSeconds(30));

        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode, string?)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (_, _) => outcomes.Add(await PostAsync(deliveryId)));

        Assert.All(outcomes, o => Assert.Equal((HttpStatusCode.Accepted, "duplicate"), o));
        var after = await server.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        Assert.Equal((routed.CreatedAt, routed.LastUpdatedAt, routed.SerializedOutput),
            (after!.CreatedAt, after.LastUpdatedAt, after.SerializedOutput));
    }

    async Task<(HttpStatusCode Status, string? Outcome)> PostAsync(string deliveryId)
    {
        using var request = WebhookRequests.SignedIssueLabeled(deliveryId, Secret);
        using var response = await server.Http.SendAsync(request);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        return (response.StatusCode, receipt.RootElement.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null);
    }
}

public sealed class GitHubRedeliveryOnSqliteTests(GitHubRedeliveryOnSqliteTests.Fixture fixture)
    : GitHubRedeliveryTests(fixture.Server), IClassFixture<GitHubRedeliveryOnSqliteTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override BatonServerOptions Options => new() { Settings = Settings };
    }
}

public sealed class GitHubRedeliveryOnPostgresTests(GitHubRedeliveryOnPostgresTests.Fixture fixture)
    : GitHubRedeliveryTests(fixture.Server), IClassFixture<GitHubRedeliveryOnPostgresTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override async Task<BatonServerOptions> CreateOptionsAsync()
        {
            var cluster = await ThrowawayPostgres.Shared;
            var database = await cluster.CreateDatabaseAsync("baton_redelivery_" + Guid.NewGuid().ToString("N"));
            return new BatonServerOptions { PostgresConnectionString = database, Settings = Settings };
        }
    }
}
