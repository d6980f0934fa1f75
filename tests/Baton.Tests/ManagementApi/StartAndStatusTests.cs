using System.Net;
using System.Text.Json;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>Runs on every store: see <see cref="StartAndStatusTestsOnSqlite"/> and its PostgreSQL twin.</summary>
public abstract class StartAndStatusTests(BatonServer server)
{

    [Fact]
    public async Task Start_HelloSequence_PollingLocationEndsWithGreetings()
    {
        using var start = await server.PostJsonAsync(server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}"), null);

        Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
        var location = start.Headers.Location!;
        Assert.True(start.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        using var payload = await BatonServer.ReadJsonAsync(start);
        var id = payload.RootElement.GetProperty("id").GetString()!;
        Assert.Equal(location.ToString(), payload.RootElement.GetProperty("statusQueryGetUri").GetString());
        Assert.EndsWith($"/instances/{id}/raiseEvent/{{eventName}}", payload.RootElement.GetProperty("sendEventPostUri").GetString());
        Assert.Contains("/terminate?reason=", payload.RootElement.GetProperty("terminatePostUri").GetString());
        Assert.Equal(location.ToString(), payload.RootElement.GetProperty("purgeHistoryDeleteUri").GetString());

        var final = await PollUntilDoneAsync(location);

        Assert.Equal("Completed", final.GetProperty("runtimeStatus").GetString());
        Assert.Equal(nameof(HelloSequenceOrchestration), final.GetProperty("name").GetString());
        Assert.Equal(id, final.GetProperty("instanceId").GetString());
        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], Strings(final.GetProperty("output")));
        Assert.Equal(JsonValueKind.Null, final.GetProperty("failureDetails").ValueKind);
        Assert.True(final.GetProperty("createdTime").GetDateTime() <= final.GetProperty("lastUpdatedTime").GetDateTime());
    }

    [Fact]
    public async Task Start_WithInstanceIdAndInput_UsesBoth()
    {
        var id = "hello-" + Guid.NewGuid().ToString("N");

        var returned = await server.StartAsync(nameof(HelloSequenceOrchestration), id, """{ "names": ["Ada", "Grace"] }""");
        using var final = await server.WaitForStatusAsync(id, "Completed");

        Assert.Equal(id, returned);
        Assert.Equal(["Hello Ada!", "Hello Grace!"], Strings(final.RootElement.GetProperty("output")));
        Assert.Equal("Ada", final.RootElement.GetProperty("input").GetProperty("names")[0].GetString());
    }

    [Fact]
    public async Task Start_WithTimeoutAndPollingInterval_ReturnsFinalStatus()
    {
        using var response = await server.PostJsonAsync(
            server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}?timeout=20&pollingInterval=0.2"), null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("Completed", body.RootElement.GetProperty("runtimeStatus").GetString());
        Assert.Equal(3, body.RootElement.GetProperty("output").GetArrayLength());
    }

    [Fact]
    public async Task Start_WaitTimesOut_Returns202WithManagementPayload()
    {
        using var response = await server.PostJsonAsync(
            server.Api($"/orchestrators/{nameof(WaitForApprovalOrchestration)}?timeout=0.3&pollingInterval=0.1"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.NotNull(response.Headers.Location);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.True(body.RootElement.TryGetProperty("statusQueryGetUri", out _));
    }

    [Fact]
    public async Task Start_RunningIdAgain_Returns409AndKeepsTheFirst()
    {
        var id = "dup-" + Guid.NewGuid().ToString("N");
        await server.StartAsync(nameof(WaitForApprovalOrchestration), id);

        using var second = await server.PostJsonAsync(server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}/{id}"), null);

        var problem = await ProblemAssert.IsProblemAsync(second, HttpStatusCode.Conflict);
        Assert.Contains(id, problem.GetProperty("detail").GetString());
        var instance = await server.Client.GetInstanceAsync(id);
        Assert.Equal(nameof(WaitForApprovalOrchestration), instance!.Name);
    }

    [Fact]
    public async Task Start_SameIdempotencyKeyTwice_StartsOneInstance()
    {
        var key = "start-" + Guid.NewGuid().ToString("N");
        var url = server.Api($"/orchestrators/{nameof(WaitForApprovalOrchestration)}");

        using var first = await server.PostJsonAsync(url, null, idempotencyKey: key);
        using var second = await server.PostJsonAsync(url, null, idempotencyKey: key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var a = await BatonServer.ReadJsonAsync(first);
        using var b = await BatonServer.ReadJsonAsync(second);
        Assert.Equal(a.RootElement.GetProperty("id").GetString(), b.RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public async Task GetStatus_Running_Returns202WithLocationAndRetryAfter()
    {
        var id = await server.StartAsync(nameof(WaitForApprovalOrchestration));
        using var running = await server.WaitForStatusAsync(id, "Running");

        using var response = await server.Http.GetAsync(server.Api($"/instances/{id}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.EndsWith($"/instances/{id}", response.Headers.Location!.ToString());
        Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task GetStatus_ShowInputFalseAndShowHistory_HidesInputAndListsEvents()
    {
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration), inputJson: """{ "names": ["Linus"] }""");
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        using var response = await server.Http.GetAsync(server.Api($"/instances/{id}?showInput=false&showHistory=true&showHistoryOutput=true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("input").ValueKind);
        var events = body.RootElement.GetProperty("historyEvents").EnumerateArray().ToList();
        var completed = Assert.Single(events, e => e.GetProperty("eventType").GetString() == "TaskCompleted");
        Assert.Equal("Hello Linus!", completed.GetProperty("data").GetString());
    }

    [Fact]
    public async Task GetStatus_Failed_Returns200OrOptIn500WithFailureDetails()
    {
        var id = await server.StartAsync(nameof(FailingOrchestration));
        using var failed = await server.WaitForStatusAsync(id, "Failed");

        using var plain = await server.Http.GetAsync(server.Api($"/instances/{id}"));
        using var strict = await server.Http.GetAsync(server.Api($"/instances/{id}?returnInternalServerErrorOnFailure=true"));

        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, strict.StatusCode);
        var failure = failed.RootElement.GetProperty("failureDetails");
        Assert.Equal(FailingOrchestration.Message, failure.GetProperty("errorMessage").GetString());
        Assert.Contains(nameof(InvalidOperationException), failure.GetProperty("errorType").GetString());
    }

    [Fact]
    public async Task GetHistory_Completed_ListsScheduledAndCompletedTasks()
    {
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration));
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        using var response = await server.Http.GetAsync(server.Api($"/instances/{id}/history"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        var types = body.RootElement.EnumerateArray().Select(e => e.GetProperty("eventType").GetString()).ToList();
        Assert.Equal(3, types.Count(t => t == "TaskScheduled"));
        Assert.Equal(3, types.Count(t => t == "TaskCompleted"));
        Assert.Contains("ExecutionCompleted", types);
    }

    [Fact]
    public async Task GetHistory_Completed_ShowsEachEventsFields()
    {
        var id = await server.StartAsync(nameof(HelloSequenceOrchestration), inputJson: """{ "names": ["Ada"] }""");
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        using var response = await server.Http.GetAsync(server.Api($"/instances/{id}/history"));

        using var body = await BatonServer.ReadJsonAsync(response);
        var events = body.RootElement.EnumerateArray().ToList();
        JsonElement Single(string type) => Assert.Single(events, e => e.GetProperty("eventType").GetString() == type);
        var started = Single("ExecutionStarted");
        Assert.Equal(nameof(HelloSequenceOrchestration), started.GetProperty("name").GetString());
        Assert.Equal("Ada", started.GetProperty("data").GetProperty("names")[0].GetString());
        // Its data (the activity's input) is left out: the own engine keeps it, DTFx drops it from history unless told
        // to keep it (TaskOrchestrationDispatcher.IncludeParameters), and then as its parameter array.
        var scheduled = Single("TaskScheduled");
        Assert.Equal(nameof(Baton.Activities.Hello.SayHello), scheduled.GetProperty("name").GetString());
        Assert.Equal(0, scheduled.GetProperty("taskId").GetInt32());
        var completed = Single("TaskCompleted");
        Assert.Equal(0, completed.GetProperty("taskId").GetInt32());
        Assert.Equal("Hello Ada!", completed.GetProperty("data").GetString());
        var finished = Single("ExecutionCompleted");
        Assert.Equal("Completed", finished.GetProperty("status").GetString());
        Assert.Equal(["Hello Ada!"], Strings(finished.GetProperty("data")));
        Assert.All(events, e => Assert.Equal(DateTimeKind.Utc, e.GetProperty("timestamp").GetDateTime().Kind));
    }

    async Task<JsonElement> PollUntilDoneAsync(Uri location)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            using var response = await server.Http.GetAsync(location);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                using var body = await BatonServer.ReadJsonAsync(response);
                return body.RootElement.Clone();
            }
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            Assert.True(DateTime.UtcNow < deadline, "the orchestration did not finish in time");
            await Task.Delay(50);
        }
    }

    static List<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()).ToList();
}

public sealed class StartAndStatusTestsOnSqlite(ServerFixture fixture) : StartAndStatusTests(fixture.Server), IClassFixture<ServerFixture>;
