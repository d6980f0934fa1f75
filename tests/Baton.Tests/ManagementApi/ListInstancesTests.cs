using System.Net;
using System.Text.Json;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>Runs on every store: see <see cref="ListInstancesTestsOnSqlite"/> and its PostgreSQL twin.</summary>
public abstract class ListInstancesTests(BatonServer server)
{
    const string TokenHeader = "x-ms-continuation-token";

    [Fact]
    public async Task List_PagedByTop_FollowsContinuationHeaderThroughEveryInstance()
    {
        var prefix = $"page-{Guid.NewGuid():N}-";
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
            ids.Add(await server.StartAsync(nameof(WaitForApprovalOrchestration), prefix + i));

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var request = new HttpRequestMessage(HttpMethod.Get, server.Api($"/instances?instanceIdPrefix={prefix}&top=2"));
            if (token is not null) request.Headers.Add(TokenHeader, token);
            using var response = await server.Http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var body = await BatonServer.ReadJsonAsync(response);
            Assert.True(body.RootElement.GetArrayLength() <= 2);
            seen.AddRange(body.RootElement.EnumerateArray().Select(e => e.GetProperty("instanceId").GetString()!));
            token = response.Headers.TryGetValues(TokenHeader, out var values) ? values.Single() : null;
            pages++;
        } while (token is not null && pages < 10);

        Assert.Equal(ids.Order(), seen.Order());
        Assert.InRange(pages, 3, 4);
    }

    [Fact]
    public async Task List_RuntimeStatusFilter_ReturnsOnlyThoseStatuses()
    {
        var prefix = $"status-{Guid.NewGuid():N}-";
        var waiting = await server.StartAsync(nameof(WaitForApprovalOrchestration), prefix + "waiting");
        var done = await server.StartAsync(nameof(HelloSequenceOrchestration), prefix + "done");
        (await server.WaitForStatusAsync(waiting, "Running")).Dispose();
        (await server.WaitForStatusAsync(done, "Completed")).Dispose();

        using var response = await server.Http.GetAsync(server.Api($"/instances?instanceIdPrefix={prefix}&runtimeStatus=completed,Failed"));

        using var body = await BatonServer.ReadJsonAsync(response);
        var only = Assert.Single(body.RootElement.EnumerateArray());
        Assert.Equal(done, only.GetProperty("instanceId").GetString());
        Assert.Equal("Completed", only.GetProperty("runtimeStatus").GetString());
    }

    [Fact]
    public async Task List_CreatedTimeWindowAndShowInput_FiltersAndShowsInputs()
    {
        var prefix = $"window-{Guid.NewGuid():N}-";
        var before = DateTime.UtcNow.AddSeconds(-1);
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration), prefix + "1", """{ "names": ["Margaret"] }""");
        var after = DateTime.UtcNow.AddSeconds(1);

        using var inside = await server.Http.GetAsync(server.Api(
            $"/instances?instanceIdPrefix={prefix}&createdTimeFrom={Uri.EscapeDataString(before.ToString("O"))}&createdTimeTo={Uri.EscapeDataString(after.ToString("O"))}&showInput=true"));
        using var outside = await server.Http.GetAsync(server.Api(
            $"/instances?instanceIdPrefix={prefix}&createdTimeFrom={Uri.EscapeDataString(after.ToString("O"))}"));

        using var insideBody = await BatonServer.ReadJsonAsync(inside);
        var instance = Assert.Single(insideBody.RootElement.EnumerateArray());
        Assert.Equal(id, instance.GetProperty("instanceId").GetString());
        Assert.Equal("Margaret", instance.GetProperty("input").GetProperty("names")[0].GetString());
        using var outsideBody = await BatonServer.ReadJsonAsync(outside);
        Assert.Equal(0, outsideBody.RootElement.GetArrayLength());
    }

    [Fact]
    public async Task List_WithoutShowInput_LeavesInputNull()
    {
        var prefix = $"noinput-{Guid.NewGuid():N}-";
        await server.StartAsync(nameof(HelloSequenceOrchestration), prefix + "1", """{ "names": ["Barbara"] }""");

        using var response = await server.Http.GetAsync(server.Api($"/instances?instanceIdPrefix={prefix}"));

        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Null, Assert.Single(body.RootElement.EnumerateArray()).GetProperty("input").ValueKind);
    }
}

public sealed class ListInstancesTestsOnSqlite(ServerFixture fixture) : ListInstancesTests(fixture.Server), IClassFixture<ServerFixture>;
