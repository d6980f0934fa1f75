extern alias BatonHost;

using System.Diagnostics;
using System.Globalization;
using Baton.Demo.GitHubEmulator;
using Microsoft.DurableTask.Client;
using Baton.Hosting;
using Baton.Orchestrations.Conductor;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using static Baton.Bench.BenchStats;

namespace Baton.Bench;

/// <summary>
/// <c>bench claim-latency [--count N]</c>: the whole host (SQLite) against the GitHub emulator. One at a time, a person
/// labels an issue <c>approved</c>; the time until its agent job is claimable (the issue's orchestration has claimed it
/// and waits for an agent) is measured from the label, through the signed webhook, the conductor's round and the claim.
/// </summary>
static class ClaimLatencyBenchmark
{
    const string Repository = "bench/claims";
    const string Secret = "bench-webhook-secret";

    public static async Task<string> RunAsync(IConfiguration options)
    {
        var count = int.Parse(options["count"] ?? "30", CultureInfo.InvariantCulture);
        await using var github = new GitHubEmulator();
        await github.StartAsync();
        github.CreateRepository(Repository);
        var database = Path.Combine(Directory.CreateTempSubdirectory("baton-claims-").FullName, "baton.db");
        var app = BatonHost::Program.BuildApp(new HostSettings([
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            $"--Durable:ConnectionString={database}", "--Durable:Retention:Enabled=false",
            $"--GitHub:ApiUrl={github.BaseUrl}", "--GitHub:Token=bench", $"--GitHub:WebhookSecret={Secret}",
            $"--Conductor:Repositories:0={Repository}", $"--Conductor:Capacity={count + 10}", "--Conductor:SweepSchedule=0 0 0 * * *"]));
        await app.StartAsync();
        try
        {
            github.WebhookUrl = new Uri(new Uri(app.Urls.First()), "/api/github/webhook");
            github.WebhookSecret = Secret;
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            await Task.Delay(1000);   // the conductor's start-up round

            var latencies = new List<double>();
            for (var i = 0; i < count + 3; i++)
            {
                var issue = github.CreateIssue(Repository, $"Bench issue {i}");
                await github.WebhooksDeliveredAsync();
                await Task.Delay(200);   // let the "opened" round settle, so only the approval is timed
                var instanceId = ConductorEvents.IssueInstanceId(new IssueRef("bench", "claims", issue.Number));
                var clock = Stopwatch.StartNew();
                github.AddLabel(issue, BoardLabels.Approved);
                while (!await IsClaimedAsync(client, instanceId)) await Task.Delay(2);
                if (i >= 3) latencies.Add(clock.Elapsed.TotalMilliseconds);   // the first three warm up
            }
            return $"claim-latency count={count} p50_ms={F(Percentile(latencies, 50))} p99_ms={F(Percentile(latencies, 99))} max_ms={F(latencies.Max())}";
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    static async Task<bool> IsClaimedAsync(DurableTaskClient client, string instanceId)
    {
        var instance = await client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        // The stage is set in the same episode that schedules the agent job, so the job is claimable from this commit on.
        return instance?.SerializedCustomStatus?.Contains("\"agent-working\"", StringComparison.Ordinal) == true;
    }
}
