using System.Collections.Concurrent;
using System.Text.Json;
using Baton.Runner.Connection;
using Baton.Runner.Protocol;
using Baton.Runner.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Baton.Runner.Tests.Connection;

/// <summary>HttpRunnerConnection against a tiny host on a loopback port that speaks the protocol.</summary>
public sealed class HttpRunnerConnectionTests : IAsyncLifetime
{
    private const string Token = "runner-token-1";

    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentQueue<string> _bodies = new();
    private WebApplication _app = null!;
    private string _url = "";
    private bool _jobTaken;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            _calls.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString}");
            if (context.Request.Headers.Authorization != $"Bearer {Token}")
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                return;
            }
            context.Request.EnableBuffering();
            _bodies.Enqueue(await new StreamReader(context.Request.Body).ReadToEndAsync());
            context.Request.Body.Position = 0;
            await next();
        });
        _app.MapPost("/api/runners/register", (RunnerRegistration r) => Results.Ok(new RunnerRegistered($"id-{r.Name}", 15)));
        _app.MapPost("/api/runners/{runnerId}/jobs/next", (string runnerId, int waitSeconds) =>
        {
            if (_jobTaken)
                return Results.NoContent();
            _jobTaken = true;
            return Results.Ok(Jobs.Implement("https://git.example/acme/demo.git", credential: "ghs_x") with { JobId = "job-7" });
        });
        _app.MapPost("/api/runners/jobs/{jobId}/heartbeat", (string jobId, JobHeartbeat h) =>
            jobId == "gone" ? Results.StatusCode(410) : Results.Ok(new HeartbeatReply(Cancel: jobId == "closed")));
        _app.MapPost("/api/runners/jobs/{jobId}/logs", (string jobId, JobLogLines l) => Results.Accepted());
        _app.MapPost("/api/runners/jobs/{jobId}/result", (string jobId, JobReport r) =>
            jobId == "gone" ? Results.StatusCode(410) : Results.Ok());
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private HttpRunnerConnection Connect(string token = Token) =>
        new(new HttpClient(), Options.Create(new RunnerOptions { HostUrl = _url, Token = token }));

    [Fact]
    public async Task Protocol_FullJob_SpeaksTheRoutesAndShapes()
    {
        var connection = Connect();

        var registered = await connection.RegisterAsync(new RunnerRegistration("box", ["claude-code"]), CancellationToken.None);
        var job = await connection.NextJobAsync(registered.RunnerId, TimeSpan.FromSeconds(30), CancellationToken.None);
        var none = await connection.NextJobAsync(registered.RunnerId, TimeSpan.FromSeconds(120), CancellationToken.None);
        var reply = await connection.HeartbeatAsync("job-7", new JobHeartbeat("lease-1"), CancellationToken.None);
        var cancel = await connection.HeartbeatAsync("closed", new JobHeartbeat("lease-1"), CancellationToken.None);
        await connection.SendLogsAsync("job-7", new JobLogLines("lease-1", ["a", "b"]), CancellationToken.None);
        await connection.ReportAsync("job-7", new JobReport("lease-1",
            new AgentOutcome(AgentOutcomeKind.Failed, FailureClass: FailureClasses.RateLimited)), CancellationToken.None);

        Assert.Equal(new RunnerRegistered("id-box", 15), registered);
        Assert.Equal("job-7", job!.JobId);
        Assert.Equal("baton/42-add-greeting", job.Branch);
        Assert.Equal(42, job.Issue.Number);
        Assert.Null(none);
        Assert.False(reply.Cancel);
        Assert.True(cancel.Cancel);
        Assert.Contains("POST /api/runners/id-box/jobs/next?waitSeconds=30", _calls);
        Assert.Contains("POST /api/runners/id-box/jobs/next?waitSeconds=60", _calls);
        var report = JsonDocument.Parse(_bodies.Last()).RootElement;
        Assert.Equal("lease-1", report.GetProperty("leaseToken").GetString());
        Assert.Equal("Failed", report.GetProperty("outcome").GetProperty("kind").GetString());
        Assert.Equal("RateLimited", report.GetProperty("outcome").GetProperty("failureClass").GetString());
    }

    [Fact]
    public async Task JobCalls_Gone_ThrowLeaseLost()
    {
        var connection = Connect();

        await Assert.ThrowsAsync<LeaseLostException>(() =>
            connection.HeartbeatAsync("gone", new JobHeartbeat("l"), CancellationToken.None));
        var lost = await Assert.ThrowsAsync<LeaseLostException>(() =>
            connection.ReportAsync("gone", new JobReport("l", new AgentOutcome(AgentOutcomeKind.Succeeded)), CancellationToken.None));
        Assert.Equal("gone", lost.JobId);
    }

    [Fact]
    public async Task Register_WrongToken_ThrowsUnauthorized()
    {
        var connection = Connect("wrong");

        await Assert.ThrowsAsync<RunnerUnauthorizedException>(() =>
            connection.RegisterAsync(new RunnerRegistration("box", []), CancellationToken.None));
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();
}
