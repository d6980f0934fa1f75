using System.Globalization;
using Baton.Demo.Scenarios;
using Baton.Hosting;

namespace Baton.Demo;

/// <summary>
/// <c>baton demo [--scenario file.json]</c>: Baton on its embedded default (SQLite) against a local GitHub emulator
/// backed by real git repositories (and a local Discord emulator receiving its notifications), playing a scenario (<see cref="DemoScenario"/>) end to end: the conductor queues
/// the issues in dependency and priority order, the embedded runner runs a scripted agent that commits and pushes for
/// real, Baton opens pull requests, scripted CI answers each push, a scripted reviewer agent reviews, risky changes
/// wait for a person's approval on the current head, and Baton merges. Without <c>--scenario</c> it plays seed 003's
/// "AI Chat Widget" milestone with a critical bug interrupting, one CI self-heal, one review round and one gated pull
/// request. A scenario with a <c>jira</c> section starts from a Jira feature instead (<see cref="JiraDemo"/>), one with a
/// <c>voice</c> section from a spoken request (<see cref="VoiceDemo"/>). It ends when
/// nothing more can happen without a person who is not in the scenario, printing one line
/// <c>DEMO-SUMMARY {json}</c>; the status API stays up afterwards unless <c>--exit</c> is given.
/// </summary>
public static class DemoCommand
{
    const string Secret = "demo-webhook-secret";
    const string BuiltInScenario = "ai-chat-widget.json";
    const string DashboardClientId = "baton-demo-dashboard";
    const string DashboardClientSecret = "demo-dashboard-secret";

    public static async Task<int> RunAsync(string[] args, Func<HostSettings, WebApplication> buildApp, TextWriter output, TextWriter error)
    {
        DemoOptions options;
        DemoScenario scenario;
        try
        {
            options = DemoOptions.Parse(args);
            scenario = await LoadAsync(options.ScenarioPath);
        }
        catch (Exception e) when (e is DemoScenarioException or FormatException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"baton demo: {e.Message}");
            return 2;
        }

        // The random part keeps two demos started in the same millisecond (parallel test classes) out of each other's git.
        var folder = Path.GetFullPath(Path.Combine(".baton", "demo", $"{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}-{Guid.NewGuid().ToString("N")[..6]}"));
        var (gitRoot, plans, database) = (Path.Combine(folder, "git"), Path.Combine(folder, "plans"), Path.Combine(folder, "baton.db"));
        Directory.CreateDirectory(plans);
        ScriptedAgent.WritePlans(plans, scenario);
        await DemoRepository.CreateAsync(gitRoot, scenario.Repository);

        await using var jira = scenario.Jira is { } feature ? new JiraDemo(scenario, feature, output) : null;
        var jiraArgs = jira is null ? [] : await jira.StartAsync();
        await using var voice = scenario.Voice is { } spoken ? new VoiceDemo(scenario, spoken, options.ScenarioPath, output) : null;
        var voiceArgs = voice is null ? [] : await voice.StartAsync();
        await using var github = new GitHubEmulator.GitHubEmulator();
        github.UseGitRepositories(gitRoot);
        github.CiScript = run => CiOutcome(scenario, run);
        await github.StartAsync();
        github.CreateRepository(scenario.Repository);
        // The dashboard signs in through the emulator's OAuth routes, which approve at once as the scenario's first approver.
        var dashboardLogin = scenario.AllowedApprovers.FirstOrDefault() ?? GitHubEmulator.GitHubEmulator.DefaultPerson;
        github.AddOAuthApp(DashboardClientId, DashboardClientSecret);
        github.OAuthLogin = dashboardLogin;
        await using var discord = new DiscordEmulator.DiscordEmulator();
        await discord.StartAsync();
        var discordWebhook = discord.CreateWebhook();
        // The scenario's people answer and approve from Discord: Baton trusts the clicks their key signs.
        var people = new DemoPeople(discord, scenario.AllowedApprovers);
        using var http = new HttpClient();

        var app = buildApp(new HostSettings([
            // The demo's own lines tell the story; the host logs warnings and errors only (a later --Logging:… wins).
            "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
            .. options.HostArgs,
            $"--Durable:ConnectionString={database}",
            $"--GitHub:ApiUrl={github.BaseUrl}", "--GitHub:Token=demo-token", $"--GitHub:WebhookSecret={Secret}",
            $"--Discord:ApiUrl={discord.ApiUrl}", $"--Discord:WebhookUrl={discordWebhook.Url}",
            $"--Conductor:Repositories:0={scenario.Repository}", $"--Conductor:Capacity={scenario.Capacity}",
            "--Conductor:SweepSchedule=*/30 * * * * *", $"--Conductor:AgentLogin={github.ApiUser}",
            $"--Runner:CloneUrlTemplate={gitRoot}/{{repository}}.git", "--Runner:Name=demo-runner",
            $"--Runner:Parallelism={scenario.Capacity + 2}", $"--Runner:Workspace:Root={Path.Combine(folder, "jobs")}",
            "--Pipeline:CiPollInterval=00:00:02", "--Pipeline:CiTimeout=00:02:00", "--Escalation:ReminderEvery=01:00:00",
            .. scenario.AllowedApprovers.Select((person, i) => $"--Pipeline:Approvers:{i}={person}"),
            $"--Dashboard:OAuthUrl={github.BaseUrl}", $"--Dashboard:ClientId={DashboardClientId}",
            $"--Dashboard:ClientSecret={DashboardClientSecret}", $"--Dashboard:Members:0={dashboardLogin}",
            .. people.HostArguments(),
            .. ScriptedAgent.HostArguments(plans, options.AgentSeconds), .. jiraArgs, .. voiceArgs]));
        await app.StartAsync();
        try
        {
            var baseUrl = new Uri(app.Urls.First());
            github.WebhookUrl = new Uri(baseUrl, "/api/github/webhook");
            github.WebhookSecret = Secret;
            await output.WriteLineAsync($"Baton is up at {baseUrl} (GitHub emulator at {github.BaseUrl}; files in {folder}).");
            await output.WriteLineAsync($"Dashboard: {baseUrl} (\"Sign in with GitHub\" signs you in as {dashboardLogin}).");

            var client = app.Services.GetRequiredService<Microsoft.DurableTask.Client.DurableTaskClient>();
            people.Connect(http, baseUrl, client);
            using var deadline = new CancellationTokenSource(options.Timeout);
            var created = jira is not null
                ? await jira.PlanAsync(baseUrl, client, app.Services.GetRequiredService<Functions.People.EscalationDesk>(), deadline.Token)
                : voice is not null ? await voice.SpeakAsync(baseUrl, http, github, folder, deadline.Token) : null;
            var play = new DemoScript(scenario, github, client, people, output, created);
            var summary = await play.PlayAsync(options.Timeout);
            if (summary is not null && jira is not null && created is not null) await jira.WaitForDoneAsync(created.Source, deadline.Token);
            if (summary is null)
            {
                await error.WriteLineAsync($"baton demo: the scenario did not settle within {options.Timeout.TotalSeconds:0} s.");
                return 1;
            }
            await output.WriteLineAsync("DEMO-SUMMARY " + summary);
            await output.WriteLineAsync($"Discord emulator at {discord.ApiUrl}: {discord.Messages.Count} notification message(s) posted.");
            await output.WriteLineAsync($"Status API: {baseUrl}runtime/webhooks/durabletask/instances?instanceIdPrefix=issue:");
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

    static async Task<DemoScenario> LoadAsync(string? path)
    {
        if (path is not null)
        {
            if (!File.Exists(path)) throw new DemoScenarioException($"scenario file '{path}' does not exist.");
            return DemoScenario.Parse(await File.ReadAllTextAsync(path), path);
        }
        await using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("Baton.Demo.Scenarios." + BuiltInScenario)
                                 ?? throw new InvalidOperationException("The built-in demo scenario is missing from the build.");
        using var reader = new StreamReader(stream);
        return DemoScenario.Parse(await reader.ReadToEndAsync(), BuiltInScenario);
    }

    /// <summary>Scripted CI: the scenario's outcome for the n-th push of the issue's branch; other branches pass.</summary>
    static GitHubEmulator.EmulatedCiOutcome CiOutcome(DemoScenario scenario, GitHubEmulator.EmulatedCiRun run)
    {
        var issue = Webhooks.GitHub.PipelineFacts.IssueOfBranch(run.Branch) is { } number ? scenario.Issue(number) : null;
        if (issue is null || issue.CiPasses(run.Run)) return "success";
        return new GitHubEmulator.EmulatedCiOutcome("failure", "1 test failed",
            $"ChatTests.sends_a_message failed on {run.HeadSha[..7]} (run {run.Run}): expected 1 message, got 0.");
    }
}

/// <summary>Demo switches: <c>--scenario FILE</c>, <c>--agent-seconds N</c> (how long the scripted agent works per
/// job), <c>--timeout N</c> (default 180 s), <c>--exit</c> (stop when done); anything else goes to the host (e.g.
/// <c>--urls</c>).</summary>
public sealed record DemoOptions(string? ScenarioPath, double AgentSeconds, TimeSpan Timeout, bool Exit, IReadOnlyList<string> HostArgs)
{
    public static DemoOptions Parse(string[] args)
    {
        var (scenario, agentSeconds, timeout, exit, host) = ((string?)null, 1.0, TimeSpan.FromSeconds(180), false, new List<string>());
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--scenario" when i + 1 < args.Length:
                    scenario = args[++i];
                    break;
                case "--agent-seconds" when i + 1 < args.Length:
                    agentSeconds = Seconds(args[++i], "--agent-seconds");
                    break;
                case "--timeout" when i + 1 < args.Length:
                    timeout = TimeSpan.FromSeconds(Seconds(args[++i], "--timeout"));
                    break;
                case "--exit":
                    exit = true;
                    break;
                default:
                    host.Add(args[i]);
                    break;
            }
        }
        return new DemoOptions(scenario, agentSeconds, timeout, exit, host);
    }

    static double Seconds(string text, string option) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
            ? seconds
            : throw new FormatException($"{option} needs a number of seconds, not '{text}'.");
}
