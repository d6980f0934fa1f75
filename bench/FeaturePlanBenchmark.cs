extern alias BatonHost;

using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Baton.Demo.GitHubEmulator;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Functions.People;
using Baton.Hosting;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

using static Baton.Bench.BenchStats;

namespace Baton.Bench;

/// <summary>
/// <c>bench feature-plan [--issues N]</c> (issue 13's measured case): the whole host (SQLite) with the Jira, Ollama and
/// GitHub emulators over loopback. A Jira feature moves to "Ready to build", the scripted model answers with a plan of N
/// issues where each depends on the one or two before it and three on the one three back (40 dependencies for 20), a
/// person approves it, and Baton creates the milestone, the issues and their blocked-by links. Measured from the approval
/// to the feature's orchestration completing: GitHub calls (creating ones, and all) and wall time. Then the same feature
/// runs again under another instance id, as a replay after a crash would: it must create nothing.
/// </summary>
static class FeaturePlanBenchmark
{
    const string Secret = "bench-jira-secret";

    static readonly string[] CreatingRoutes =
    [
        "POST /repos/{owner}/{repo}/milestones",
        "POST /repos/{owner}/{repo}/issues",
        "POST /repos/{owner}/{repo}/issues/{number}/dependencies/blocked_by",
    ];

    public static async Task<string> RunAsync(IConfiguration options)
    {
        var count = int.Parse(options["issues"] ?? "20", CultureInfo.InvariantCulture);
        await using var github = new GitHubEmulator();
        await using var jira = new JiraEmulator();
        await using var ollama = new OllamaEmulator();
        await Task.WhenAll(github.StartAsync(), jira.StartAsync(), ollama.StartAsync());
        github.CreateRepository("bench/shop");
        var (plan, dependencies) = Plan(count);
        ollama.Fallback = _ => new OllamaReply(plan);

        var database = Path.Combine(Directory.CreateTempSubdirectory("baton-feature-").FullName, "baton.db");
        var app = BatonHost::Program.BuildApp(new HostSettings([
            "--urls", "http://127.0.0.1:0", "--Logging:LogLevel:Default=Warning",
            $"--Durable:ConnectionString={database}", "--Durable:Retention:Enabled=false",
            $"--GitHub:ApiUrl={github.BaseUrl}", "--GitHub:Token=bench",
            $"--Jira:BaseUrl={jira.BaseUrl}", $"--Jira:Email={jira.Email}", $"--Jira:ApiToken={jira.ApiToken}",
            $"--Jira:WebhookSecret={Secret}", "--Jira:Projects:SHOP:Repository=bench/shop",
            $"--Ollama:BaseUrl={ollama.BaseUrl}", "--Ollama:Model=planner"]));
        await app.StartAsync();
        try
        {
            jira.WebhookUrl = new Uri(new Uri(app.Urls.First()), "/api/jira/webhook");
            jira.WebhookSecret = Secret;
            var client = app.Services.GetRequiredService<DurableTaskClient>();
            var desk = app.Services.GetRequiredService<EscalationDesk>();

            var key = jira.CreateIssue("SHOP", "Storefront", "A whole storefront.");
            jira.Transition(key, "Ready to build");
            var (first, firstMs) = await ApproveAndFinishAsync(client, desk, key, FeatureOrchestration.InstanceIdFor(key));
            var created = CreatingRoutes.Sum(github.Usage.Count);
            var calls = github.Usage.Total;

            const string rerun = "feature-rerun:SHOP-bench";
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(FeatureOrchestration), new FeatureRequest(key, "SHOP"),
                new StartOrchestrationOptions(rerun));
            var (again, againMs) = await ApproveAndFinishAsync(client, desk, key, rerun);
            var createdAgain = CreatingRoutes.Sum(github.Usage.Count) - created;

            var same = first.Issues.Select(i => i.Number).SequenceEqual(again.Issues.Select(i => i.Number));
            return $"feature-plan issues={count} dependencies={dependencies} state={first.State} creating_calls={created} github_calls={calls} " +
                   $"create_ms={F(firstMs)} rerun_creating_calls={createdAgain} rerun_github_calls={github.Usage.Total - calls} rerun_ms={F(againMs)} " +
                   $"same_issues={(same ? "yes" : "no")}";
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Approves the feature's open plan once it is asked, then times until its orchestration completes.</summary>
    static async Task<(FeatureOutcome Outcome, double Ms)> ApproveAndFinishAsync(DurableTaskClient client, EscalationDesk desk, string key, string instanceId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        string? plan = null;
        while (plan is null)
        {
            var open = await desk.ListOpenAsync(deadline.Token);
            plan = open.Where(e => e.Status.Request.Kind == FeatureRules.ApprovalKind && e.Status.Request.Subject == key).Select(e => e.Key).FirstOrDefault();
            if (plan is null) await Task.Delay(20, deadline.Token);
        }
        var clock = Stopwatch.StartNew();
        await desk.AnswerAsync(plan, new EscalationAnswer(EscalationActions.Approve, null, "bench", "dashboard", DateTime.UtcNow), TimeSpan.Zero, deadline.Token);
        var done = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, deadline.Token);
        return (done.ReadOutputAs<FeatureOutcome>()!, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>N issues; each depends on the one or two before it, and issues 3–5 also on the one three back.</summary>
    static (string Json, int Dependencies) Plan(int count)
    {
        var issues = Enumerable.Range(0, count).Select(i => (Id: $"part-{i}",
            DependsOn: Enumerable.Range(1, i is >= 3 and <= 5 ? 3 : 2).Select(back => i - back).Where(d => d >= 0).Select(d => $"part-{d}").ToArray())).ToList();
        var json = new JsonObject
        {
            ["issues"] = new JsonArray([.. issues.Select(i => (JsonNode)new JsonObject
            {
                ["id"] = i.Id,
                ["title"] = $"Build {i.Id}",
                ["body"] = $"Do {i.Id}.",
                ["acceptance_criteria"] = new JsonArray($"{i.Id} works"),
                ["priority"] = "normal",
                ["depends_on"] = new JsonArray([.. i.DependsOn.Select(d => (JsonNode)d)]),
                ["repository"] = "bench/shop",
            })]),
        }.ToJsonString();
        return (json, issues.Sum(i => i.DependsOn.Length));
    }
}
