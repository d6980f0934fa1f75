using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Baton.Demo.GitHubEmulator;
using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Tests.Dashboard;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Voice;

/// <summary>
/// A Baton host with voice intake on (a transcription provider named but not reachable: uploads start the real
/// orchestration, which ends failed, and the status/event tests run the scripted stand-in below instead), the API key <see cref="Key"/> of <see cref="KeyName"/>, small limits so refusals are cheap
/// (<see cref="MaxUploadBytes"/>, <see cref="MaxDuration"/>), and the dashboard signing in through the GitHub emulator as
/// <see cref="Member"/>. Speech comes from <see cref="VoiceWebAudio"/>.
/// </summary>
public sealed class VoiceWebHost : IAsyncLifetime
{
    public const string KeyName = "ci-bot";
    public const string Key = "voice-key-0123456789abcdef";
    public const string Member = "alice";
    public const long MaxUploadBytes = 400 * 1024;
    public static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(8);
    const string ClientId = "Iv1.voice-test";
    const string ClientSecret = "voice-test-secret";

    public GitHubEmulator GitHub { get; } = new();
    public BatonServer Server { get; private set; } = null!;
    public VoiceWebAudio Audio { get; } = new();

    /// <summary>Where the host keeps uploads (its default: .baton/voice under the content root).</summary>
    public string UploadFolder => Path.Combine(Server.ContentRoot, ".baton", "voice");

    public async Task InitializeAsync()
    {
        var github = await GitHub.StartAsync();
        GitHub.AddOAuthApp(ClientId, ClientSecret);
        GitHub.OAuthLogin = Member;
        Server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Transcription:Provider"] = "OpenAI",
                ["Transcription:BaseUrl"] = "http://127.0.0.1:9/",
                ["Voice:ApiKeys:0"] = $"{KeyName}:{Key}",
                ["Voice:ApiKeys:1"] = "other:another-voice-key",
                ["Voice:MaxUploadBytes"] = MaxUploadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Voice:MaxDuration"] = MaxDuration.ToString(),
                ["Voice:EventPoll"] = "00:00:00.050",
                ["GitHub:ApiUrl"] = github.ToString(),
                ["GitHub:Token"] = "ghp_voice-tests",
                ["Dashboard:OAuthUrl"] = github.ToString(),
                ["Dashboard:ClientId"] = ClientId,
                ["Dashboard:ClientSecret"] = ClientSecret,
                ["Dashboard:Members:0"] = Member,
                ["Runner:Embedded"] = "false",
            },
            ConfigureServices = services => services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName, registry => registry
                .AddOrchestrator<VoiceWebScriptedOrchestration>()
                .AddOrchestrator<StandInEscalationOrchestration>()),
        });
    }

    /// <summary>A client that sends the API key (as a bearer token, or in X-Api-Key).</summary>
    public HttpClient KeyClient(string key = Key, bool bearer = true)
    {
        var http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (bearer) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        else http.DefaultRequestHeaders.Add(VoiceCallers.ApiKeyHeader, key);
        return http;
    }

    /// <summary>Every voice request instance the store has (to prove a refusal started none).</summary>
    public async Task<int> CountRequestsAsync()
    {
        var count = 0;
        await foreach (var _ in Server.Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = VoiceIds.InstanceIdPrefix }))
            count++;
        return count;
    }

    /// <summary>The files in the upload folder (none is left by a refusal, temporary or not).</summary>
    public IReadOnlyList<string> UploadFiles() =>
        Directory.Exists(UploadFolder) ? [.. Directory.GetFiles(UploadFolder).Select(Path.GetFileName).OfType<string>().Order()] : [];

    /// <summary>Starts the scripted orchestration directly under a request's instance id (no upload), so the status, events
    /// and clarify endpoints can be tested step by step; returns the request id.</summary>
    public async Task<string> StartScriptedAsync(string? project)
    {
        var id = VoiceIds.NewId();
        await Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VoiceWebScriptedOrchestration),
            new VoiceRequest(id, "/nonexistent/" + id + ".upload", "wav", 1, KeyName, DateTime.UtcNow, project),
            new StartOrchestrationOptions { InstanceId = VoiceIds.InstanceIdFor(id) });
        return id;
    }

    /// <summary>Polls <c>GET /api/voice/{id}</c> until its step is <paramref name="step"/> (30 s at most).</summary>
    public async Task<JsonElement> WaitForStepAsync(string id, string step)
    {
        using var http = KeyClient();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await http.GetAsync(VoiceRoutes.Status(id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (status.GetProperty("step").GetString() == step) return status;
            if (DateTime.UtcNow > deadline)
            {
                var instance = await Server.Client.GetInstanceAsync(VoiceIds.InstanceIdFor(id));
                var problems = Server.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message).TakeLast(5);
                throw new TimeoutException($"Voice request {id} did not reach {step}: {status}; instance {instance?.RuntimeStatus} " +
                                           $"{instance?.FailureDetails?.ErrorMessage}; recent warnings: {string.Join(" | ", problems)}");
            }
            await Task.Delay(50);
        }
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await GitHub.DisposeAsync();
        Audio.Dispose();
    }
}

/// <summary>
/// Plays <c>VoiceIntakeOrchestration</c>'s contract (the custom status lists every progress event; a
/// clarification is an escalation answered through the desk): a request without a project is asked which one; with an
/// answer (or a project) it "creates" ticket <c>{project}-1</c>. Nothing is transcribed; the transcript is fixed.
/// </summary>
public sealed class VoiceWebScriptedOrchestration : TaskOrchestrator<VoiceRequest, VoiceOutcome>
{
    public const string Transcript = "Please add a dark mode to the dashboard settings page.";
    public const string Question = "Which Jira project should the ticket go to?";
    public const string Failing = "FAIL";

    public override async Task<VoiceOutcome> RunAsync(TaskOrchestrationContext context, VoiceRequest request)
    {
        var status = new VoiceStatus(request.Id, []).With(VoiceSteps.Received, context.CurrentUtcDateTime);
        status = Show(context, status.With(VoiceSteps.Transcribing, context.CurrentUtcDateTime));
        await context.CreateTimer(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        status = Show(context, status.With(VoiceSteps.Transcribed, context.CurrentUtcDateTime, e => e with { Transcript = Transcript })
            .With(VoiceSteps.Extracting, context.CurrentUtcDateTime));
        await context.CreateTimer(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        if (request.Project == Failing)
        {
            const string reason = "The model server did not answer; try again later.";
            Show(context, status.With(VoiceSteps.Failed, context.CurrentUtcDateTime, e => e with { Reason = reason }));
            return new VoiceOutcome(request.Id, VoiceSteps.Failed, null, null, null, reason);
        }

        var project = request.Project;
        if (project is null)
        {
            var key = context.NewGuid().ToString("N");
            status = Show(context, status.With(VoiceSteps.ClarificationNeeded, context.CurrentUtcDateTime,
                e => e with { Questions = [Question], EscalationKey = key }));
            var answer = await context.CallSubOrchestratorAsync<Baton.Orchestrations.Escalations.EscalationOutcome>(
                nameof(StandInEscalationOrchestration),
                new Baton.Orchestrations.Escalations.EscalationRequest("voice-clarification", request.Id, "Voice request", Question,
                    [Baton.Orchestrations.Escalations.EscalationActions.Answer], null, null, null, []),
                new SubOrchestrationOptions { InstanceId = Baton.Orchestrations.Escalations.EscalationIds.InstanceIdFor(key) });
            // "Q: … / A: web" when answered per question; the project is what follows the last "A: ".
            var text = answer.Text ?? "";
            project = text[(text.LastIndexOf("A: ", StringComparison.Ordinal) is var at and >= 0 ? at + 3 : 0)..].Trim().ToUpperInvariant();
            status = Show(context, status.With(VoiceSteps.Clarified, context.CurrentUtcDateTime, e => e with { Transcript = answer.By + ": " + answer.Text }));
        }
        status = Show(context, status.With(VoiceSteps.CreatingTicket, context.CurrentUtcDateTime));
        await context.CreateTimer(TimeSpan.FromMilliseconds(200), CancellationToken.None);
        var ticket = $"{project}-1";
        var url = $"https://jira.example.test/browse/{ticket}";
        Show(context, status.With(VoiceSteps.Completed, context.CurrentUtcDateTime,
            e => e with { TicketKey = ticket, TicketUrl = url, GitHubIssueUrl = "https://github.example.test/acme/widgets/issues/7" }));
        return new VoiceOutcome(request.Id, VoiceSteps.Completed, ticket, url, null, null);
    }

    static VoiceStatus Show(TaskOrchestrationContext context, VoiceStatus status)
    {
        context.SetCustomStatus(status);
        return status;
    }
}
