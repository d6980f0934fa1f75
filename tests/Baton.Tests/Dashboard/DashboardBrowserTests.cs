using Baton.Demo;
using Baton.Demo.GitHubEmulator;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Tests.Dashboard;

/// <summary>
/// The dashboard in a real headless browser over the whole pipeline: Baton with its conductor, embedded runner and a
/// scripted agent, against the GitHub emulator (git-backed, CI green, webhooks delivered). A person signs in with GitHub,
/// sees the queue with its reasons, answers the agent's question, approves the payments gate, and the issue merges.
/// Screenshots at 390 px and 1280 px are kept under TestResults/dashboard.
/// </summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    const string Repository = "acme/ledger";
    const string ClientId = "Iv1.browser-test";
    const string ClientSecret = "browser-test-secret";
    const string WebhookSecret = "browser-test-webhook";
    static readonly TimeSpan PipelineStep = TimeSpan.FromSeconds(90);

    /// <summary>The agent: asks which database until a person has answered (the answer arrives in its prompt as feedback),
    /// then writes under src/payments/, which the payments gate holds for a person. As reviewer it approves.</summary>
    const string AgentScript = """
        set -eu
        mkdir -p .baton
        if [ "$BATON_ROLE" = "review" ]; then
          printf '{"verdict":"approve","summary":"Looks right."}\n' > .baton/review.json
          exit 0
        fi
        if ! grep -q "alice: Postgres" "$BATON_PROMPT_FILE"; then
          printf 'Which database should the ledger use: Postgres or SQLite?\n' > .baton/question.md
          exit 0
        fi
        mkdir -p src/payments
        printf 'export const ledgerStore = "postgres";\n' > src/payments/ledger.ts
        """;

    readonly string folder = Directory.CreateTempSubdirectory("baton-dashboard-browser-").FullName;
    readonly GitHubEmulator github = new();
    BatonServer server = null!;
    EmulatedIssueRef ledger = null!;

    public async Task InitializeAsync()
    {
        var gitRoot = Path.Combine(folder, "git");
        await DemoRepository.CreateAsync(gitRoot, Repository);
        github.UseGitRepositories(gitRoot);
        github.CiScript = _ => "success";
        await github.StartAsync();
        github.CreateRepository(Repository);
        github.AddOAuthApp(ClientId, ClientSecret);
        github.OAuthLogin = DashboardHost.Approver;
        var milestone = github.CreateMilestone(Repository, "Ledger v1");
        ledger = github.CreateIssue(Repository, "Keep a ledger of payments", "approved");
        var report = github.CreateIssue(Repository, "Monthly ledger report", "approved");
        github.AddBlockedBy(report, ledger);
        github.SetMilestone(ledger, milestone);
        github.SetMilestone(report, milestone);

        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "browser-test-token",
                ["GitHub:WebhookSecret"] = WebhookSecret,
                ["Conductor:Repositories:0"] = Repository,
                ["Conductor:Capacity"] = "1",
                ["Conductor:AgentLogin"] = github.ApiUser,
                ["Runner:CloneUrlTemplate"] = $"{gitRoot}/{{repository}}.git",
                ["Runner:Name"] = "browser-runner",
                ["Runner:Parallelism"] = "2",
                ["Runner:Workspace:Root"] = Path.Combine(folder, "jobs"),
                ["Runner:Agents:command:Executable"] = "bash",
                ["Runner:Agents:command:Arguments:0"] = "-c",
                ["Runner:Agents:command:Arguments:1"] = AgentScript,
                ["Pipeline:Implementer"] = "command",
                ["Pipeline:Reviewer"] = "command",
                ["Pipeline:ReviewerModel"] = "browser-reviewer",
                ["Pipeline:CiPollInterval"] = "00:00:01",
                ["Pipeline:Approvers:0"] = DashboardHost.Approver,
                ["Escalation:ReminderEvery"] = "01:00:00",
                ["Dashboard:OAuthUrl"] = github.BaseUrl.ToString(),
                ["Dashboard:ClientId"] = ClientId,
                ["Dashboard:ClientSecret"] = ClientSecret,
                ["Dashboard:Members:0"] = DashboardHost.Approver,
                ["Dashboard:RefreshInterval"] = "00:00:01",
            },
        });
        github.WebhookUrl = new Uri(server.BaseAddress, "/api/github/webhook");
        github.WebhookSecret = WebhookSecret;
    }

    [Fact]
    public async Task Dashboard_SignInAnswerAndApprove_PipelineMergesTheIssue()
    {
        await using var browser = await Browser.LaunchAsync();
        var page = await browser.Chromium.NewPageAsync(new BrowserNewPageOptions
        {
            ViewportSize = new ViewportSize { Width = Browser.DesktopWidth, Height = 900 },
        });
        var wait = new LocatorAssertionsToContainTextOptions { Timeout = (float)PipelineStep.TotalMilliseconds };
        // A blocked inline script or style (CSP) or a script error shows up here; the page must have none.
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{message.Text} ({message.Location})"); };
        page.PageError += (_, error) => errors.Add(error);

        // Sign in with GitHub (the emulator approves at once as alice) and land on the dashboard.
        await page.GotoAsync(server.BaseAddress.ToString());
        await Expect(page.GetByText("Sign in with GitHub")).ToBeVisibleAsync();
        await Browser.ScreenshotsAsync(page, "sign-in");
        await page.GetByText("Sign in with GitHub").ClickAsync();
        await Expect(page.Locator("header .who")).ToHaveTextAsync(DashboardHost.Approver);
        await Expect(page.Locator("a", new() { HasText = "GitHub" }).First).ToHaveAttributeAsync("href", github.BaseUrl.ToString());

        // The queue: the report waits, blocked by the ledger issue the conductor started.
        await Expect(page.Locator("#queue")).ToContainTextAsync("acme/ledger#2", wait);
        await Expect(page.Locator("#queue")).ToContainTextAsync("blocked by acme/ledger#1", wait);
        await Expect(page.Locator("#milestones")).ToContainTextAsync("Ledger v1", wait);

        // The agent's question arrives (live update, no reload); answer it right there.
        var decisions = page.Locator("#decisions");
        await Expect(decisions).ToContainTextAsync("Which database should the ledger use", wait);
        await Browser.ScreenshotsAsync(page, "question-waiting");
        await decisions.Locator("textarea[name=text]").First.FillAsync("Postgres");
        await decisions.GetByRole(AriaRole.Button, new() { Name = "Answer" }).ClickAsync();
        await Expect(page.Locator("#verdict")).ToContainTextAsync("answer by alice");
        await page.GetByText("Back to the dashboard").ClickAsync();

        // The agent writes under src/payments/, CI goes green, review approves: the gate waits for a person.
        var approve = decisions.GetByRole(AriaRole.Button, new() { Name = "Approve" });
        await Expect(approve).ToBeVisibleAsync(new() { Timeout = (float)PipelineStep.TotalMilliseconds });
        await Browser.ScreenshotsAsync(page, "gate-waiting");
        await approve.ClickAsync();
        await Expect(page.Locator("#verdict")).ToContainTextAsync("approve by alice");

        // The pipeline moves on: the ledger issue merges, and the report it blocked starts (its agent asks too).
        var result = await server.Client.WaitForInstanceCompletionAsync(ConductorEvents.IssueInstanceId(new IssueRef("acme", "ledger", 1)),
            getInputsAndOutputs: true, new CancellationTokenSource(PipelineStep).Token);
        var issue = result.ReadOutputAs<IssueResult>()!;
        Assert.Equal(("merged", true), (issue.State, issue.Gated));
        Assert.Equal("closed", github.GetIssue(ledger).State);
        await page.GetByText("Back to the dashboard").ClickAsync();
        await Expect(decisions).ToContainTextAsync("The agent working on acme/ledger#2 has a question", wait);
        await Expect(decisions).Not.ToContainTextAsync("touches payments");
        await Browser.ScreenshotsAsync(page, "after-merge");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await github.DisposeAsync();
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A git process still closing a file; the OS cleans the temp folder later.
        }
    }
}
