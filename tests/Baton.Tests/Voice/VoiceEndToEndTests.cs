using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Demo.DiscordEmulator;
using Baton.Demo.GitHubEmulator;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Demo.WhisperEmulator;
using Baton.Durable.Serialization;
using Baton.Functions.Voice;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Voice;

/// <summary>
/// A spoken request through the whole host over real HTTP: a real recording uploaded to <c>POST /api/voice</c>, converted by
/// ffmpeg and heard by a Whisper server (the emulator, OpenAI protocol), understood by a model (the Ollama emulator), asked
/// back on Discord (the emulator; a person presses Answer and fills in Baton's form, signed with Ed25519) or over
/// <c>/clarify</c>, filed in Jira (the emulator) and dispatched as an approved GitHub issue (the emulator) — once, even
/// when the host is stopped while it waits.
/// </summary>
public sealed class VoiceEndToEndTests : IAsyncLifetime
{
    const string Key = "speaker-key-5b0c1d";
    const string Repository = "acme/shop";
    static readonly DiscordPerson Grace = new("120000000000000042", "grace", []);

    readonly GitHubEmulator github = new();
    readonly JiraEmulator jira = new();
    readonly OllamaEmulator ollama = new();
    readonly WhisperEmulator whisper = new();
    readonly DiscordEmulator discord = new();
    readonly DiscordApplicationKey discordKey = DiscordApplicationKey.Generate();
    readonly string shared = Directory.CreateTempSubdirectory("baton-voice-e2e-").FullName;
    BatonServer server = null!;

    string Uploads => Path.Combine(shared, "voice");

    public async Task InitializeAsync()
    {
        await Task.WhenAll(github.StartAsync(), jira.StartAsync(), ollama.StartAsync(), whisper.StartAsync(), discord.StartAsync());
        github.CreateRepository(Repository);
        whisper.Fallback = _ => new WhisperReply(Speech.AmbiguousText);
        ollama.Script(new OllamaReply(VoiceIntents.Vague), new OllamaReply(VoiceIntents.Json(project: "", priority: "normal")));
        server = await StartServerAsync();
    }

    Task<BatonServer> StartServerAsync() => BatonServer.StartAsync(new BatonServerOptions
    {
        Settings = new Dictionary<string, string>
        {
            ["Durable:ConnectionString"] = Path.Combine(shared, "baton.db"),
            ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
            ["GitHub:Token"] = "ghp_voice-e2e",
            ["Jira:BaseUrl"] = jira.BaseUrl.ToString(),
            ["Jira:Email"] = jira.Email,
            ["Jira:ApiToken"] = jira.ApiToken,
            ["Jira:Projects:SHOP:Repository"] = Repository,
            ["Ollama:BaseUrl"] = ollama.BaseUrl.ToString(),
            ["Ollama:Model"] = "listener",
            ["Transcription:Provider"] = "OpenAI",
            ["Transcription:BaseUrl"] = whisper.BaseUrl.ToString(),
            ["Voice:ApiKeys:0"] = $"ada:{Key}",
            ["Voice:AutoDispatch"] = "true",
            ["Voice:UploadDirectory"] = Uploads,
            ["Voice:EventPoll"] = "00:00:00.050",
            ["Discord:ApiUrl"] = discord.ApiUrl.ToString(),
            ["Discord:WebhookUrl"] = discord.CreateWebhook().Url.ToString(),
            ["Discord:PublicKey"] = discordKey.PublicKeyHex,
            ["Discord:Approvers:0"] = $"user:{Grace.UserId}={Grace.Name}",
            ["Baton:PublicUrl"] = "https://baton.example.test",
        },
    });

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await Task.WhenAll(github.DisposeAsync().AsTask(), jira.DisposeAsync().AsTask(), ollama.DisposeAsync().AsTask(),
            whisper.DisposeAsync().AsTask(), discord.DisposeAsync().AsTask());
    }

    [Fact]
    public async Task A_recording_asked_back_on_Discord_is_filed_in_Jira_and_queued_on_GitHub()
    {
        var receipt = await UploadAsync(Speech.As("webm"));

        var asked = await StepAsync(receipt, VoiceSteps.ClarificationNeeded);
        Assert.Equal(["What should be better?", "Which page?"], asked.Questions);
        var call = Assert.Single(whisper.Calls);
        Assert.True(call.IsWhisperWav, "the Whisper server got the recording as 16 kHz mono PCM WAV");
        var button = EscalationIds.ComponentId(EscalationActions.Answer, asked.EscalationKey!);
        await Eventually.HoldsAsync(() => discord.Messages.Any(m => m.Body.ToJsonString().Contains(button, StringComparison.Ordinal)));
        var message = discord.Messages.Single(m => m.Body.ToJsonString().Contains(button, StringComparison.Ordinal)).Body.ToJsonString();
        Assert.Contains($"https://baton.example.test/voice?request={receipt.Id}", message, StringComparison.Ordinal);
        Assert.Contains("Which page?", message, StringComparison.Ordinal);

        var sender = new InteractionSender(server.Http, new Uri(server.BaseAddress, "/api/discord/interactions"), discordKey);
        using (var form = await sender.ClickAsync(button, Grace)) Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        using (var submitted = await sender.SubmitModalAsync(button, "The settings page needs a dark mode.", Grace)) Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);

        var done = await StepAsync(receipt, VoiceSteps.Completed);
        var ticket = jira.Issue(done.TicketKey!)!;
        Assert.Equal([VoiceIntentRules.VoiceLabel, VoiceIntentRules.TicketLabel(receipt.Id)], ticket.Labels);
        Assert.Contains(Speech.AmbiguousText, ticket.Description.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("The settings page needs a dark mode.", ticket.Description.ToJsonString(), StringComparison.Ordinal);
        var issue = github.GetIssue(github.IssueRef(Repository, 1));
        Assert.Equal("Add a dark mode toggle to the settings page", issue.Title);
        Assert.Equal(["approved"], issue.Labels);
        Assert.EndsWith($"/{Repository}/issues/1", done.GitHubIssueUrl, StringComparison.Ordinal);
        // The second question to the model carried the answer, as data.
        Assert.Contains("The settings page needs a dark mode.", ollama.Calls[1].Messages[^1].Content, StringComparison.Ordinal);
        Assert.Contains("source=\"the speaker's answer\"", ollama.Calls[1].Messages[^1].Content, StringComparison.Ordinal);
        await Eventually.HoldsAsync(() => !Directory.EnumerateFiles(Uploads, receipt.Id + ".*").Any());
    }

    [Fact]
    public async Task A_host_stopped_while_the_speaker_thinks_resumes_and_files_once()
    {
        var receipt = await UploadAsync(Speech.Ambiguous.Path);
        await StepAsync(receipt, VoiceSteps.ClarificationNeeded);

        await server.DisposeAsync();
        server = await StartServerAsync();
        using var answer = await SendAsync(HttpMethod.Post, receipt.ClarifyUrl, JsonContent.Create(new { answer = "The settings page, dark mode." }));
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);

        var done = await StepAsync(receipt, VoiceSteps.Completed);
        Assert.Single(jira.Requests, r => r == "POST /rest/api/3/issue");
        Assert.Equal(1, github.Usage.Count("POST /repos/{owner}/{repo}/issues"));
        Assert.Equal("SHOP-1", done.TicketKey);
    }

    async Task<VoiceReceipt> UploadAsync(string recording)
    {
        var form = new MultipartFormDataContent { { new StreamContent(File.OpenRead(recording)), "audio", Path.GetFileName(recording) } };
        using var answer = await SendAsync(HttpMethod.Post, VoiceRoutes.Upload, form);
        Assert.True(answer.StatusCode == HttpStatusCode.Accepted, await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<VoiceReceipt>(DurableJson.Options))!;
    }

    /// <summary>The request's latest event once it reaches <paramref name="step"/> (failing fast on <c>failed</c>).</summary>
    async Task<VoiceProgress> StepAsync(VoiceReceipt receipt, string step)
    {
        VoiceStatus? status = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var answer = await SendAsync(HttpMethod.Get, receipt.StatusUrl);
            status = answer.StatusCode == HttpStatusCode.OK ? JsonSerializer.Deserialize<VoiceStatus>(await answer.Content.ReadAsStringAsync(), DurableJson.Options) : null;
            if (status?.Step == VoiceSteps.Failed) Assert.Fail($"the request failed: {status.Events[^1].Reason}");
            return status?.Step == step;
        }, TimeSpan.FromSeconds(60));
        return status!.Events[^1];
    }

    async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key);
        return await server.Http.SendAsync(request);
    }
}
