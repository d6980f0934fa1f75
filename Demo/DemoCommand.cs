using Baton.Demo.GitHubEmulator;
using Baton.Durable;
using Baton.Durable.Storage;
using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;

namespace Baton.Demo;

/// <summary>
/// <c>baton demo</c>: Baton on its embedded default (SQLite) against a local GitHub emulator, playing seed 003's
/// "AI Chat Widget" milestone. #1 and #2 run in parallel, #3 waits for both, #4 for #3, and a critical bug filed
/// midway takes the next free slot. Agent jobs run on the embedded runner, in real clones of a local bare repository,
/// with the generic <c>command</c> adapter playing the agent (a short script that writes a file; the runner commits
/// and pushes it). Merging is the agent pipeline's next step; until then the demo closes the issue as a merge would. Each conductor round is printed as it
/// happens; the status API stays up afterwards unless <c>--exit</c> is given.
/// </summary>
public static class DemoCommand
{
    internal const string Repository = "acme/chat-widget";
    const string Secret = "demo-webhook-secret";

    public static async Task<int> RunAsync(string[] args, Func<HostSettings, WebApplication> buildApp, TextWriter output, TextWriter error)
    {
        var options = DemoOptions.Parse(args);
        await using var github = new GitHubEmulator.GitHubEmulator();
        await github.StartAsync();
        github.CreateRepository(Repository);

        var stamp = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}";
        var database = Path.Combine(".baton", "demo", stamp + ".db");
        var gitRoot = Path.GetFullPath(Path.Combine(".baton", "demo", stamp + "-git"));
        await DemoRepository.CreateAsync(gitRoot, Repository);
        // The demo's own lines tell the story; the host logs warnings and errors only (a later --Logging:… wins).
        var app = buildApp(new HostSettings(["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            "--Logging:LogLevel:Baton.Activities.Notifications=Information",   // the log-only notification channel
            .. options.HostArgs,
            $"--Durable:ConnectionString={database}",
            $"--GitHub:ApiUrl={github.BaseUrl}", "--GitHub:Token=demo-token", $"--GitHub:WebhookSecret={Secret}",
            $"--Conductor:Repositories:0={Repository}", "--Conductor:Capacity=2", "--Conductor:SweepSchedule=*/30 * * * * *",
            $"--Runner:CloneUrlTemplate={gitRoot}/{{repository}}.git", "--Runner:Parallelism=3", "--Runner:Name=demo-runner",
            "--Pipeline:Implementer=command", "--Runner:Agents:command:Executable=bash", "--Runner:Agents:command:Arguments:0=-c",
            $"--Runner:Agents:command:Arguments:1={DemoRepository.AgentScript(options.AgentSeconds)}"]));
        await app.StartAsync();
        try
        {
            var baseUrl = new Uri(app.Urls.First());
            github.WebhookUrl = new Uri(baseUrl, "/api/github/webhook");
            github.WebhookSecret = Secret;
            await output.WriteLineAsync($"Baton is up at {baseUrl} (GitHub emulator at {github.BaseUrl}, database {database}).");

            var script = new DemoScript(github, app.Services.GetRequiredService<DurableTaskClient>(), output, options);
            var finished = await script.PlayAsync();
            if (!finished)
            {
                await error.WriteLineAsync($"baton demo: the milestone did not finish within {options.Timeout.TotalSeconds:0} s.");
                return 1;
            }
            await output.WriteLineAsync($"Status API: {baseUrl}runtime/webhooks/durabletask/instances/conductor");
            if (!options.Exit)
            {
                await output.WriteLineAsync("The status API stays up; Ctrl+C stops Baton.");
                await app.WaitForShutdownAsync();
            }
            return 0;
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}

/// <summary>Demo switches: <c>--agent-seconds N</c> (how long the scripted agent works), <c>--timeout N</c>,
/// <c>--exit</c> (stop when done); everything else goes to the host (e.g. <c>--urls</c>).</summary>
public sealed record DemoOptions(double AgentSeconds, TimeSpan Timeout, bool Exit, IReadOnlyList<string> HostArgs)
{
    public static DemoOptions Parse(string[] args)
    {
        var (agentSeconds, timeout, exit, host) = (2.0, TimeSpan.FromSeconds(180), false, new List<string>());
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--agent-seconds" when i + 1 < args.Length:
                    agentSeconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--timeout" when i + 1 < args.Length:
                    timeout = TimeSpan.FromSeconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case "--exit":
                    exit = true;
                    break;
                default:
                    host.Add(args[i]);
                    break;
            }
        }
        return new DemoOptions(agentSeconds, timeout, exit, host);
    }
}

/// <summary>What people and the stand-in agent do during the demo, and what is printed.</summary>
sealed class DemoScript(GitHubEmulator.GitHubEmulator github, DurableTaskClient baton, TextWriter output, DemoOptions options)
{
    const string Repository = DemoCommand.Repository;

    readonly HashSet<IssueRef> working = [];                          // claimed issues an agent is on
    readonly HashSet<IssueRef> done = [];
    readonly List<string> order = [];                                 // the order the agent started issues in
    int lastRound;
    string? lastSummary;
    EmulatedIssueRef? bug;

    public async Task<bool> PlayAsync()
    {
        var milestone = github.CreateMilestone(Repository, "AI Chat Widget");
        var toolApi = File(milestone, "LLM tool API (backend)");
        var chatUi = File(milestone, "Chat UI component");
        var connect = File(milestone, "Connect UI to API", toolApi, chatUi);
        File(milestone, "Analytics tracking", connect);
        await Say("The CTO approves four issues of the \"AI Chat Widget\" milestone: #3 waits for #1 and #2, #4 for #3.");

        using var timeout = new CancellationTokenSource(options.Timeout);
        try
        {
            while (done.Count < 5)
            {
                await PrintNewRoundAsync();
                await RunAgentsAsync();
                if (bug is null && working.Count == 2 && done.Count == 0)
                {
                    bug = github.CreateIssue(Repository, "Chat crashes on an empty message", BoardLabels.Approved, BoardLabels.Critical);
                    await Say($"A critical bug arrives: #{bug.Number}. Both slots are busy; it takes the next free one.");
                }
                await Task.Delay(200, timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        await github.WebhooksDeliveredAsync();
        await PrintNewRoundAsync();
        await Say($"All issues are done. Order of work: {string.Join(" → ", order)}.");
        try
        {
            // The conductor notices in its next round (woken by the last close) and closes the milestone.
            while (github.GetMilestone(Repository, milestone).State != "closed") await Task.Delay(100, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        var closed = github.GetMilestone(Repository, milestone);
        await Say($"The conductor closed the milestone \"{closed.Title}\" ({closed.ClosedIssues} issues) and sent a milestone-complete notification.");
        return true;
    }

    EmulatedIssueRef File(int milestone, string title, params EmulatedIssueRef[] blockedBy)
    {
        var issue = github.CreateIssue(Repository, title);
        github.SetMilestone(issue, milestone);
        foreach (var blocker in blockedBy) github.AddBlockedBy(issue, blocker);
        github.AddLabel(issue, BoardLabels.Approved, by: "cto");
        return issue;
    }

    /// <summary>Follows the issue orchestrations: a job offered to the runner is "agent starts"; a job that succeeded
    /// (the branch is pushed) stands in for a merged pull request, so the demo closes the issue as a merge would.</summary>
    async Task RunAgentsAsync()
    {
        var page = await baton.QueryInstancesAsync(new InstanceQuery
            { InstanceIdPrefix = "issue:", IncludePayloads = true, PageSize = 50 });
        foreach (var instance in page.Instances)
        {
            var issue = instance.ReadInputAs<IssueRef>()!;
            if (done.Contains(issue) || instance.ReadCustomStatusAs<IssueStatus>() is not { } status) continue;
            if (working.Add(issue))
            {
                order.Add($"#{issue.Number}");
                await Say($"  agent starts #{issue.Number} \"{github.GetIssue(Emulated(issue)).Title}\" on {status.Branch}");
            }
            if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed) continue;
            working.Remove(issue);
            done.Add(issue);
            var outcome = instance.ReadOutputAs<string>() ?? "";
            github.Comment(Emulated(issue), $"Done: {outcome}. (The demo merges by closing the issue.)", by: "baton-agent");
            github.CloseIssue(Emulated(issue), by: "baton-agent");
            await Say($"  agent finished #{issue.Number}: {outcome}; the issue is closed as a merge would");
        }
    }

    /// <summary>Prints the conductor's latest round when the queue looks different from the last one printed. (Every
    /// webhook wakes the conductor, its own label changes included, so most rounds change nothing.)</summary>
    async Task PrintNewRoundAsync()
    {
        var conductor = await baton.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true);
        var status = conductor?.ReadCustomStatusAs<ConductorStatus>();
        if (status is null || status.Round == lastRound) return;
        lastRound = status.Round;
        var waiting = status.Waiting.Count == 0 ? "nothing waiting" : "waiting: " + string.Join(", ", status.Waiting.Select(w => $"#{w.Issue.Number} ({Describe(w)})"));
        var summary = $"{status.Running} running; {waiting}";
        if (summary == lastSummary) return;
        lastSummary = summary;
        var reason = conductor!.ReadInputAs<ConductorRound>()?.Reason ?? "";
        await Say($"Conductor round {status.Round} (woken by {reason}): {summary}");
    }

    static string Describe(WaitingIssue waiting) => waiting.Reason switch
    {
        WaitReason.BlockedByOpenIssue => "blocked by " + string.Join(", ", waiting.OpenBlockers.Select(b => $"#{b.Number}")),
        WaitReason.NoFreeSlot => "no free slot",
        WaitReason.InDependencyCycle => "in a dependency cycle",
        _ => waiting.Reason.ToString(),
    };

    /// <summary>The emulator finds issues by repository and number.</summary>
    static EmulatedIssueRef Emulated(IssueRef issue) => new(issue.Repository, issue.Number, 0);

    Task Say(string line) => output.WriteLineAsync($"{DateTime.Now:HH:mm:ss} {line}");

}
