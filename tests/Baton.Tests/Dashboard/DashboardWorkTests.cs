using Baton.Activities.Agents;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Runner.Protocol;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Dashboard;

/// <summary>What the dashboard shows of agent work: a running job with its last log lines and its runner's heartbeat, and a
/// job that failed under its failure class.</summary>
public sealed class DashboardWorkTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    AgentJobs Jobs => host.Server.Services.GetRequiredService<AgentJobs>();

    async Task<string> QueueJobAsync(int issueNumber)
    {
        var replyTo = await host.Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForApprovalOrchestration));
        var request = new AgentJobRequest(new IssueRef("acme", "widgets", issueNumber), "Add a widget", "Body", "implement", "command", null,
            "main", $"baton/issue-{issueNumber}", [], new AgentBudget(10, 600));
        var jobId = $"{AgentJobEvents.JobIdPrefix}dashboard-{issueNumber}-{Guid.NewGuid():N}"[..40];
        await host.Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AgentJobOrchestration),
            new AgentJobInput(request, replyTo, TimeSpan.FromMinutes(5), 1), new StartOrchestrationOptions { InstanceId = jobId });
        return jobId;
    }

    async Task<AgentJob> ClaimAsync(string jobId)
    {
        var runner = AgentJobs.Register(new RunnerRegistration("laptop-7", ["command"]), TimeSpan.FromMinutes(5));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            // Other tests' jobs may be offered first; this test's job is the one it waits for.
            if (await Jobs.NextAsync(runner.RunnerId, TimeSpan.FromSeconds(5), default) is { } job && job.JobId == jobId) return job;
        }
        throw new TimeoutException($"Job {jobId} was not offered.");
    }

    async Task<string> SignedInPageAsync()
    {
        host.GitHub.OAuthLogin = DashboardHost.Member;
        using var client = host.NewClient();
        return await (await client.SignInAsync()).Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Home_RunningJob_ShowsLastLogLinesAndRunnerHeartbeat()
    {
        var jobId = await QueueJobAsync(41);
        var job = await ClaimAsync(jobId);
        await Jobs.AppendLogsAsync(jobId, job.LeaseToken, ["cloning acme/widgets", "running tests <all green>"], default);

        var page = await SignedInPageAsync();

        Assert.Contains("acme/widgets#41", page);
        Assert.Contains("cloning acme/widgets\nrunning tests &lt;all green&gt;", page);
        Assert.Contains("<td title=\"laptop-7.command.", page);
        Assert.Contains("s ago)", page);
    }

    [Fact]
    public async Task Home_IdleRunner_ShownWithItsLastRequestForWork()
    {
        var runner = AgentJobs.Register(new RunnerRegistration("idle-box", ["aider"]), TimeSpan.FromMinutes(5));
        Assert.Null(await Jobs.NextAsync(runner.RunnerId, TimeSpan.FromMilliseconds(300), default));   // no aider job: it waits idle

        // The sighting is recorded through the runner's presence orchestration: wait until the page shows it.
        var page = await Eventually.ReachesAsync(SignedInPageAsync,
            html => html.Contains($"<td title=\"{runner.RunnerId}\">idle-box</td><td>aider</td>", StringComparison.Ordinal),
            _ => "The idle runner never appeared on the dashboard.");
        Assert.Contains("s ago)", page[page.IndexOf(runner.RunnerId, StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Home_FailedJob_ListedUnderItsFailureClass()
    {
        var jobId = await QueueJobAsync(42);
        var job = await ClaimAsync(jobId);
        await Jobs.ReportAsync(jobId, job.LeaseToken,
            new AgentOutcome(AgentOutcomeKind.Failed, Summary: "The model provider refused: rate limited.", FailureClass: "RateLimited"), default);
        await host.Server.Client.WaitForInstanceCompletionAsync(jobId);

        var page = await SignedInPageAsync();

        var failures = page[page.IndexOf("id=\"failures\"", StringComparison.Ordinal)..];
        Assert.Contains("<strong>RateLimited</strong>", failures);
        Assert.Contains("acme/widgets#42", failures);
        Assert.Contains("The model provider refused: rate limited.", failures);
    }
}
