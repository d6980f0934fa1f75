using System.Net;
using System.Text.Json;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>Purge, on every store. Each provider's class gets a server of its own: a bulk purge deletes every
/// finished instance in its time window.</summary>
public abstract class PurgeTests(BatonServer server)
{

    [Fact]
    public async Task Purge_CompletedInstance_DeletesItAndItsHistory()
    {
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration));
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        using var purge = await server.Http.DeleteAsync(server.Api($"/instances/{id}"));

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(purge);
        Assert.Equal(1, body.RootElement.GetProperty("instancesDeleted").GetInt32());
        await ProblemAssert.IsProblemAsync(await server.Http.GetAsync(server.Api($"/instances/{id}")), HttpStatusCode.NotFound);
        Assert.Null(await server.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task Purge_RunningInstance_Returns409AndKeepsIt()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));

        using var purge = await server.Http.DeleteAsync(server.Api($"/instances/{id}"));

        await ProblemAssert.IsProblemAsync(purge, HttpStatusCode.Conflict);
        Assert.NotNull(await server.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task PurgeMany_TimeWindow_DeletesOnlyFinishedInstances()
    {
        var from = DateTime.UtcNow.AddSeconds(-1).ToString("O");
        var done = new[] { await server.StartAsync(nameof(HelloSequenceOrchestration)), await server.StartAsync(nameof(HelloSequenceOrchestration)) };
        var running = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        foreach (var id in done) (await server.WaitForStatusAsync(id, "Completed")).Dispose();

        using var purge = await server.Http.DeleteAsync(server.Api($"/instances?createdTimeFrom={Uri.EscapeDataString(from)}&runtimeStatus=Completed"));

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(purge);
        Assert.True(body.RootElement.GetProperty("instancesDeleted").GetInt32() >= 2);
        Assert.False(body.RootElement.GetProperty("hasMore").GetBoolean());
        foreach (var id in done) Assert.Null(await server.Client.GetInstanceAsync(id));
        Assert.NotNull(await server.Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task PurgeMany_NothingMatches_Returns200WithZero()
    {
        using var purge = await server.Http.DeleteAsync(server.Api("/instances?createdTimeFrom=2000-01-01T00:00:00Z&createdTimeTo=2000-01-02T00:00:00Z"));

        Assert.Equal(HttpStatusCode.OK, purge.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(purge);
        Assert.Equal(0, body.RootElement.GetProperty("instancesDeleted").GetInt32());
        Assert.Equal(JsonValueKind.False, body.RootElement.GetProperty("hasMore").ValueKind);
    }
}

public sealed class PurgeTestsOnSqlite(PurgeTestsOnSqlite.Fixture fixture) : PurgeTests(fixture.Server), IClassFixture<PurgeTestsOnSqlite.Fixture>
{
    public sealed class Fixture : ServerFixture;
}
