using System.Net;
using System.Text.Json;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>Runs on every store: see <see cref="RaiseEventTestsOnSqlite"/> and its PostgreSQL twin.</summary>
public abstract class RaiseEventTests(BatonServer server)
{

    [Fact]
    public async Task RaiseEvent_WaitingInstance_CompletesWithThePayload()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        using var running = await server.WaitForStatusAsync(id, "Running");

        using var raised = await server.PostJsonAsync(server.Api($"/instances/{id}/raiseEvent/{TestEvents.Approval}"), "\"ada\"");

        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        using var final = await server.WaitForStatusAsync(id, "Completed");
        Assert.Equal("approved by ada", final.RootElement.GetProperty("output").GetString());
    }

    [Fact]
    public async Task RaiseEvent_SameIdempotencyKeyTwice_DeliversOnce()
    {
        var id = await server.StartAsync(nameof(CollectItemsOrchestration), inputJson: "2");
        var url = server.Api($"/instances/{id}/raiseEvent/{TestEvents.Item}");

        using var first = await server.PostJsonAsync(url, "\"a\"", idempotencyKey: "item-1");
        using var repeated = await server.PostJsonAsync(url, "\"a\"", idempotencyKey: "item-1");
        using var second = await server.PostJsonAsync(url, "\"b\"", idempotencyKey: "item-2");

        Assert.All([first, repeated, second], r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        using var final = await server.WaitForStatusAsync(id, "Completed");
        Assert.Equal(["a", "b"], final.RootElement.GetProperty("output").EnumerateArray().Select(e => e.GetString()!).ToArray());
    }

    [Fact]
    public async Task RaiseEvent_FinishedInstance_Returns410()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        await server.Client.RaiseEventAsync(id, TestEvents.Approval, "grace");
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        using var late = await server.PostJsonAsync(server.Api($"/instances/{id}/raiseEvent/{TestEvents.Approval}"), "\"late\"");

        await ProblemAssert.IsProblemAsync(late, HttpStatusCode.Gone);
        var instance = await server.Client.GetInstanceAsync(id, getInputsAndOutputs: true);
        Assert.Equal("\"approved by grace\"", instance!.SerializedOutput);
    }

    [Fact]
    public async Task RaiseEvent_ObjectPayload_ArrivesAsJson()
    {
        var id = await server.StartAsync(nameof(CollectItemsOrchestration), inputJson: "1");

        using var raised = await server.PostJsonAsync(server.Api($"/instances/{id}/raiseEvent/{TestEvents.Item}"), "\"x\"");
        using var final = await server.WaitForStatusAsync(id, "Completed");

        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        Assert.Equal(JsonValueKind.Array, final.RootElement.GetProperty("output").ValueKind);
    }
}

public sealed class RaiseEventTestsOnSqlite(ServerFixture fixture) : RaiseEventTests(fixture.Server), IClassFixture<ServerFixture>;
