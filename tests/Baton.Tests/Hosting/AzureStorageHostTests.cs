using System.Net;
using Baton.Orchestrations;
using Baton.Testing;
using Baton.Tests.Infrastructure;
using Baton.Tests.Webhooks;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Hosting;

/// <summary>
/// The whole host on DTFx's Azure Storage provider (<c>Durable__Provider=AzureStorage</c>) against a throwaway Azurite:
/// it is ready, runs orchestrations and their activities there, and routes a webhook delivery once.
/// </summary>
public sealed class AzureStorageHostTests(AzureStorageHostTests.Fixture fixture) : IClassFixture<AzureStorageHostTests.Fixture>
{
    const string Secret = "azure storage webhook secret";

    public sealed class Fixture : ServerFixture
    {
        protected override async Task<BatonServerOptions> CreateOptionsAsync() => new()
        {
            ExplicitDatabase = false,
            Settings = new Dictionary<string, string>
            {
                ["Durable:Provider"] = "AzureStorage",
                ["Durable:ConnectionString"] = (await ThrowawayAzurite.Shared).ConnectionString,
                ["Durable:TaskHub"] = "host" + Guid.NewGuid().ToString("N")[..12],
                ["GitHub:WebhookSecret"] = Secret,
            },
        };
    }

    readonly BatonServer server = fixture.Server;

    [Fact]
    public async Task Readyz_NamesAzureStorageAndItsTaskHub()
    {
        using var response = await server.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(server.Services.GetService<Baton.Durable.Storage.IDurableStore>());   // no Baton store behind it
        Assert.Contains("Azure Storage, task hub host", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task HelloSequence_RunsToCompletionOnAzureStorage()
    {
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration), inputJson: """{"names":["Ada","Grace"]}""");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var done = await server.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello Ada!", "Hello Grace!"], done.ReadOutputAs<List<string>>());
    }

    [Fact]
    public async Task Webhook_DeliveryIsRoutedOnceAndARedeliveryIsADuplicate()
    {
        var deliveryId = Guid.NewGuid().ToString();

        Assert.Equal("recorded", await PostAsync(deliveryId));
        Assert.Equal("duplicate", await PostAsync(deliveryId));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var routed = await server.Client.WaitForInstanceCompletionAsync(RouteGitHubDeliveryOrchestration.InstanceIdFor(deliveryId),
            getInputsAndOutputs: true, timeout.Token);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, 1), (routed.RuntimeStatus, routed.ReadOutputAs<int>()));
        Assert.Equal("duplicate", await PostAsync(deliveryId));
    }

    async Task<string?> PostAsync(string deliveryId)
    {
        using var request = WebhookRequests.SignedIssueLabeled(deliveryId, Secret);
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        return receipt.RootElement.GetProperty("outcome").GetString();
    }
}
