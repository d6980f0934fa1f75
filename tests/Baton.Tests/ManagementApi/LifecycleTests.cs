using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>Terminate, suspend and resume over HTTP, on every store (see <see cref="LifecycleTestsOnSqlite"/>
/// and its PostgreSQL twin).</summary>
public abstract class LifecycleTests(BatonServer server)
{

    [Fact]
    public async Task Terminate_RunningInstance_EndsTerminated()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        using var running = await server.WaitForStatusAsync(id, "Running");

        using var response = await server.Http.PostAsync(server.Api($"/instances/{id}/terminate?reason=no%20longer%20needed"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var final = await server.WaitForStatusAsync(id, "Terminated");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(server.Api($"/instances/{id}"))).StatusCode);
        Assert.Equal("no longer needed", final.RootElement.GetProperty("output").GetString());
    }

    [Fact]
    public async Task Terminate_FinishedInstance_Returns410()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        await server.Client.TerminateInstanceAsync(id);
        using var _ = await server.WaitForStatusAsync(id, "Terminated");

        using var again = await server.Http.PostAsync(server.Api($"/instances/{id}/terminate"), null);

        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Gone);
    }

    [Fact]
    public async Task SuspendThenResume_EventWaitsWhileSuspended_ThenCompletes()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        using var running = await server.WaitForStatusAsync(id, "Running");

        using var suspend = await server.Http.PostAsync(server.Api($"/instances/{id}/suspend?reason=maintenance"), null);
        Assert.Equal(HttpStatusCode.Accepted, suspend.StatusCode);
        using var suspended = await server.WaitForStatusAsync(id, "Suspended");

        using var raised = await server.PostJsonAsync(server.Api($"/instances/{id}/raiseEvent/{TestEvents.Approval}"), "\"linus\"");
        Assert.Equal(HttpStatusCode.Accepted, raised.StatusCode);
        await Task.Delay(300);
        Assert.Equal("Suspended", (await server.Client.GetInstanceAsync(id))!.RuntimeStatus.ToString());

        using var resume = await server.Http.PostAsync(server.Api($"/instances/{id}/resume?reason=done"), null);
        Assert.Equal(HttpStatusCode.Accepted, resume.StatusCode);
        using var final = await server.WaitForStatusAsync(id, "Completed");
        Assert.Equal("approved by linus", final.RootElement.GetProperty("output").GetString());
    }

    [Theory]
    [InlineData("terminate")]
    [InlineData("suspend")]
    [InlineData("resume")]
    public async Task Control_UnknownInstance_Returns404(string operation)
    {
        using var response = await server.Http.PostAsync(server.Api($"/instances/missing-{Guid.NewGuid():N}/{operation}"), null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }
}

public sealed class LifecycleTestsOnSqlite(ServerFixture fixture) : LifecycleTests(fixture.Server), IClassFixture<ServerFixture>;
