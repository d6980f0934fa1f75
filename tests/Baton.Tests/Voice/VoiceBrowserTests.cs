using Baton.Demo.GitHubEmulator;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Demo.WhisperEmulator;
using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Baton.Tests.Voice;

/// <summary>
/// The recorder page in headless Chromium whose fake microphone plays a spoken WAV, over the real
/// <see cref="VoiceIntakeOrchestration"/>: a member signs in with GitHub, holds Space until two seconds are recorded, plays
/// the recording back, sends it, sees the steps arrive, answers the model's questions in the dialog and gets the card
/// linking the Jira ticket and the GitHub issue. The OpenAI-compatible Whisper emulator hears a scripted text (after Baton
/// converted the browser's WebM to 16 kHz WAV); the model (Ollama emulator) asks first and is clear after the answer;
/// Jira and GitHub are their emulators. Screenshots at 390 px and 1280 px go to TestResults/voice.
/// </summary>
public sealed class VoiceBrowserTests : IAsyncLifetime
{
    const string ClientId = "Iv1.voice-browser";
    const string ClientSecret = "voice-browser-secret";
    static readonly LocatorAssertionsToBeVisibleOptions Step = new() { Timeout = 60_000 };

    readonly GitHubEmulator github = new();
    readonly JiraEmulator jira = new();
    readonly OllamaEmulator ollama = new();
    readonly VoiceWebAudio audio = new();
    readonly WhisperEmulator whisper = new();
    const string Heard = "Make the settings page better at night.";
    BatonServer server = null!;

    public async Task InitializeAsync()
    {
        await github.StartAsync();
        github.CreateRepository("acme/shop");
        github.AddOAuthApp(ClientId, ClientSecret);
        github.OAuthLogin = VoiceWebHost.Member;
        await jira.StartAsync();
        await ollama.StartAsync();
        await whisper.StartAsync();
        whisper.Script(new WhisperReply(Heard));
        ollama.Script(new OllamaReply(VoiceIntents.Vague), new OllamaReply(VoiceIntents.Clear));
        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Transcription:Provider"] = "OpenAI",
                ["Transcription:BaseUrl"] = whisper.BaseUrl.ToString(),
                ["Voice:AutoDispatch"] = "true",
                ["Voice:EventPoll"] = "00:00:00.100",
                ["Jira:BaseUrl"] = jira.BaseUrl.ToString(),
                ["Jira:Email"] = jira.Email,
                ["Jira:ApiToken"] = jira.ApiToken,
                ["Jira:Projects:SHOP:Repository"] = "acme/shop",
                ["Ollama:BaseUrl"] = ollama.BaseUrl.ToString(),
                ["Ollama:Model"] = "intent",
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "ghp_voice-browser",
                ["Dashboard:OAuthUrl"] = github.BaseUrl.ToString(),
                ["Dashboard:ClientId"] = ClientId,
                ["Dashboard:ClientSecret"] = ClientSecret,
                ["Dashboard:Members:0"] = VoiceWebHost.Member,
                ["Runner:Embedded"] = "false",
                ["Voice:ApiKeys:0"] = $"{VoiceWebHost.KeyName}:{VoiceWebHost.Key}",
            },
        });
    }

    [Fact]
    public async Task Recorder_HoldSpaceSendAndAnswer_ShowsTheTicketCard()
    {
        await using var browser = await VoiceWebBrowser.LaunchAsync(await audio.MicrophoneWavAsync());
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        await context.GrantPermissionsAsync(["microphone"]);
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add($"{message.Text} ({message.Location})"); };
        page.PageError += (_, error) => errors.Add(error);

        // Not signed in: the page sends the person to sign in first (GitHub, as the dashboard does), then they come back.
        await page.GotoAsync(VoiceRoutes.Page);
        await page.GetByText("Sign in with GitHub").ClickAsync();
        await Expect(page.Locator("header .who")).ToHaveTextAsync(VoiceWebHost.Member);
        await page.GotoAsync(VoiceRoutes.Page);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Hold to talk" })).ToBeVisibleAsync();
        await VoiceWebBrowser.ScreenshotsAsync(page, "voice-ready");

        // Hold Space until the timer shows two seconds, then release.
        await page.Keyboard.DownAsync("Space");
        await Expect(page.Locator("#talk")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.WaitForFunctionAsync("() => parseFloat(document.getElementById('timer').textContent) >= 2", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.Keyboard.UpAsync("Space");
        await Expect(page.Locator("#playback")).ToBeVisibleAsync();
        await Expect(page.Locator("#send")).ToBeEnabledAsync();

        // Play it back: the recording has sound in it (the fake microphone's speech).
        await page.EvaluateAsync("() => document.getElementById('playback').play()");
        await page.WaitForFunctionAsync("() => document.getElementById('playback').currentTime > 0.3", null,
            new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.EvaluateAsync("() => document.getElementById('playback').pause()");
        await VoiceWebBrowser.ScreenshotsAsync(page, "voice-recorded");

        await page.Locator("#send").ClickAsync();
        var steps = page.Locator("#steps");
        await Expect(steps.Locator("li[data-step=transcribed]")).ToContainTextAsync(Heard, new() { Timeout = 60_000 });

        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToBeVisibleAsync(Step);
        await Expect(dialog).ToContainTextAsync("Which page?");
        await VoiceWebBrowser.ScreenshotsAsync(page, "voice-clarify");
        await page.GetByLabel("Your answer").FillAsync("The settings page, for everyone.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        var card = page.Locator("#result.card.success");
        await Expect(card).ToBeVisibleAsync(Step);
        var ticket = card.Locator("a", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^SHOP-\\d+$") });
        await Expect(ticket).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("/browse/SHOP-\\d+$"));
        await Expect(card.Locator("a", new() { HasText = "acme/shop/issues/" })).ToBeVisibleAsync();
        foreach (var step in new[] { VoiceSteps.Transcribing, VoiceSteps.Extracting, VoiceSteps.ClarificationNeeded, VoiceSteps.Clarified,
                     VoiceSteps.CreatingTicket, VoiceSteps.Completed })
            await Expect(steps.Locator($"li[data-step={step}]").First).ToBeVisibleAsync();
        await VoiceWebBrowser.ScreenshotsAsync(page, "voice-done");

        var heard = Assert.Single(whisper.Calls);
        Assert.True(heard.IsWhisperWav, "Baton sends Whisper the browser's recording as complete 16 kHz mono PCM WAV");
        // 16 kHz × 2 bytes a second: held for two seconds, the recording is well over one and a half.
        Assert.True(heard.FileLength > 16_000 * 2 * 3 / 2, $"the recording is shorter than held ({heard.FileLength} bytes of WAV)");
        var filed = jira.Issue((await ticket.TextContentAsync())!)!;
        Assert.Contains("VOICE_INITIATED", filed.Labels);
        Assert.Contains("The settings page, for everyone.", filed.Description.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(errors);
    }

    /// <summary>The link in Baton's question (<c>/voice?request=…</c>) opens the page on that request: its steps so far and the
    /// question, answered there.</summary>
    [Fact]
    public async Task Recorder_LinkToAWaitingRequest_AsksItsQuestionAndShowsTheTicketCard()
    {
        using var upload = new HttpRequestMessage(HttpMethod.Post, VoiceRoutes.Upload) { Content = new StreamContent(File.OpenRead(await audio.MicrophoneWavAsync())) };
        upload.Headers.Add("X-Api-Key", VoiceWebHost.Key);
        using var accepted = await server.Http.SendAsync(upload);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, accepted.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await accepted.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await Eventually.HoldsAsync(async () => (await server.Client.GetInstanceAsync(VoiceIds.InstanceIdFor(id), getInputsAndOutputs: true))?
            .ReadCustomStatusAs<VoiceStatus>()?.Step == VoiceSteps.ClarificationNeeded, TimeSpan.FromSeconds(60));

        await using var browser = await VoiceWebBrowser.LaunchAsync(await audio.MicrophoneWavAsync());
        var context = await browser.Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync(VoiceRoutes.Page);
        await page.GetByText("Sign in with GitHub").ClickAsync();
        await Expect(page.Locator("header .who")).ToHaveTextAsync(VoiceWebHost.Member);
        await page.GotoAsync($"{VoiceRoutes.Page}?request={id}");

        await Expect(page.Locator("#steps li[data-step=transcribed]")).ToContainTextAsync(Heard, new() { Timeout = 60_000 });
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Which page?", new() { Timeout = 60_000 });
        await page.GetByLabel("Your answer").FillAsync("The settings page.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();

        await Expect(page.Locator("#result.card.success")).ToBeVisibleAsync(Step);
        await VoiceWebBrowser.ScreenshotsAsync(page, "voice-linked-done");
        Assert.Contains("The settings page.", jira.Issue("SHOP-1")!.Description.ToJsonString(), StringComparison.Ordinal);

        // The dashboard lists it among the day's spoken requests, linking its page and its ticket.
        await page.GotoAsync("/");
        var listed = page.Locator("section#voice li").Filter(new() { HasText = "SHOP-1" });
        await Expect(listed).ToContainTextAsync(Heard);
        await Expect(listed.Locator($"a[href='/voice?request={id}']")).ToHaveTextAsync("completed");
        await VoiceWebBrowser.ScreenshotsAsync(page, "dashboard-voice");
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await github.DisposeAsync();
        await jira.DisposeAsync();
        await ollama.DisposeAsync();
        await whisper.DisposeAsync();
        audio.Dispose();
    }
}
