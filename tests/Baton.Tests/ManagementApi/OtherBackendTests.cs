using System.Net;
using Baton.Durable.Provider;
using DurableTask.AzureStorage;
using Baton.Orchestrations;
using Baton.Testing;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.ManagementApi;

/// <summary>
/// The management API on a Durable Task backend other than Baton's: DTFx's Azure Storage provider, against a throwaway
/// Azurite, while Baton's own store stays SQLite. Whether anything runs the instances there does not matter to these
/// tests: the API works, and a request with an <c>Idempotency-Key</c>, which only Baton's providers keep, is refused.
/// </summary>
public sealed class OtherBackendTests(OtherBackendTests.Fixture fixture) : IClassFixture<OtherBackendTests.Fixture>
{
    public sealed class Fixture : ServerFixture
    {
        protected override async Task<BatonServerOptions> CreateOptionsAsync()
        {
            var azurite = await ThrowawayAzurite.Shared;
            var taskHub = "mgmt" + Guid.NewGuid().ToString("N");
            return new BatonServerOptions
            {
                ConfigureServices = services => services.AddOrchestrationService(sp =>
                    AzureStorageProvider.Create(azurite.ConnectionString, taskHub, sp.GetRequiredService<ILoggerFactory>())),
            };
        }
    }

    readonly BatonServer server = fixture.Server;

    [Fact]
    public async Task Start_WithoutIdempotencyKey_StartsOnTheOtherBackend()
    {
        var id = "azure-" + Guid.NewGuid().ToString("N");

        await server.StartAsync(nameof(WaitForApprovalOrchestration), id);

        using var response = await server.Http.GetAsync(server.Api($"/instances/{id}"));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Contains(body.RootElement.GetProperty("runtimeStatus").GetString(), new[] { "Pending", "Running" });
        var azureStorage = server.Services.GetRequiredService<AzureStorageOrchestrationService>();
        Assert.NotEmpty(await azureStorage.GetOrchestrationStateAsync(id, allExecutions: false));
    }

    [Fact]
    public async Task Start_LiveIdAgain_Returns409()
    {
        var id = "azure-" + Guid.NewGuid().ToString("N");
        await server.StartAsync(nameof(WaitForApprovalOrchestration), id);

        using var second = await server.PostJsonAsync(server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}/{id}"), null);

        var problem = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains(id, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Start_WithIdempotencyKey_Returns400AndStartsNothing()
    {
        var id = "azure-" + Guid.NewGuid().ToString("N");

        using var response = await server.PostJsonAsync(server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}/{id}"), null,
            idempotencyKey: "start-1");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString());
        await ProblemAssert.IsProblemAsync(await server.Http.GetAsync(server.Api($"/instances/{id}")), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RaiseEvent_WithIdempotencyKey_Returns400()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));

        using var response = await server.PostJsonAsync(server.Api($"/instances/{id}/raiseEvent/{TestEvents.Approval}"), "\"ada\"",
            idempotencyKey: "approval-1");

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("Idempotency-Key", problem.GetProperty("detail").GetString());
    }
}
