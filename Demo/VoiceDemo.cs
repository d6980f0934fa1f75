using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Demo.OllamaEmulator;
using Baton.Demo.Scenarios;
using Baton.Demo.WhisperEmulator;
using Baton.Durable.Serialization;
using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Runner.Processes;

namespace Baton.Demo;

/// <summary>
/// The voice part of a demo (<see cref="ScenarioVoice"/>): a Jira emulator, a scripted Whisper server (the scenario's
/// transcript) and a scripted model that first asks the scenario's question, then answers with the scenario's issue. The
/// speaker uploads the recording over <c>POST /api/voice</c>, follows the server-sent events, answers the question with
/// <c>POST /api/voice/{id}/clarify</c>, and Baton files the Jira ticket and the GitHub issue the agent then delivers.
/// </summary>
sealed class VoiceDemo(DemoScenario scenario, ScenarioVoice voice, string? scenarioPath, TextWriter output) : IAsyncDisposable
{
    const string Speaker = "demo-speaker";
    readonly string key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    readonly JiraEmulator.JiraEmulator jira = new();
    readonly OllamaEmulator.OllamaEmulator ollama = new();
    readonly WhisperEmulator.WhisperEmulator whisper = new();

    public async Task<IReadOnlyList<string>> StartAsync()
    {
        await Task.WhenAll(jira.StartAsync(), ollama.StartAsync(), whisper.StartAsync());
        whisper.Fallback = _ => new WhisperReply(voice.Transcript);
        ollama.Fallback = call => new OllamaReply(Intent(answered: call.Messages.Any(m => m.Content.Contains("source=\"the speaker's answer\"", StringComparison.Ordinal))));
        return
        [
            $"--Jira:BaseUrl={jira.BaseUrl}", $"--Jira:Email={jira.Email}", $"--Jira:ApiToken={jira.ApiToken}",
            $"--Jira:Projects:{voice.Project}:Repository={scenario.Repository}",
            $"--Ollama:BaseUrl={ollama.BaseUrl}", "--Ollama:Model=scripted-listener",
            "--Transcription:Provider=OpenAI", $"--Transcription:BaseUrl={whisper.BaseUrl}",
            "--Voice:AutoDispatch=true", $"--Voice:ApiKeys:0={Speaker}:{key}",
        ];
    }

    /// <summary>Speaks the request, answers Baton's question, and returns the GitHub issue Baton filed.</summary>
    public async Task<FiledByBaton> SpeakAsync(Uri baton, HttpClient http, GitHubEmulator.GitHubEmulator github, string folder, CancellationToken cancellationToken)
    {
        var recording = await RecordingAsync(folder, cancellationToken);
        await Say($"{Speaker} records a request ({new FileInfo(recording).Length / 1024} KiB WAV) and sends it to {VoiceRoutes.Upload}.");
        using var upload = new HttpRequestMessage(HttpMethod.Post, new Uri(baton, VoiceRoutes.Upload)) { Content = new StreamContent(File.OpenRead(recording)) };
        upload.Content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        upload.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var accepted = await http.SendAsync(upload, cancellationToken);
        if (!accepted.IsSuccessStatusCode)
            throw new InvalidOperationException($"The upload was refused ({(int)accepted.StatusCode}): {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
        var receipt = await accepted.Content.ReadFromJsonAsync<VoiceReceipt>(DurableJson.Options, cancellationToken)
                      ?? throw new InvalidOperationException("The upload's answer had no body.");

        VoiceProgress? last = null;
        await foreach (var progress in EventsAsync(http, new Uri(baton, receipt.EventsUrl), cancellationToken))
        {
            last = progress;
            switch (progress.Step)
            {
                case VoiceSteps.Transcribed:
                    await Say($"Baton heard: \"{progress.Transcript}\"");
                    break;
                case VoiceSteps.ClarificationNeeded:
                    await Say($"Baton asks: {string.Join(" ", progress.Questions ?? [])}");
                    await Say($"{Speaker} answers: \"{voice.Answer}\"");
                    await AnswerAsync(http, new Uri(baton, receipt.ClarifyUrl), cancellationToken);
                    break;
                case VoiceSteps.Completed:
                    await Say($"Baton filed Jira {progress.TicketKey} (label {VoiceIntentRules.VoiceLabel}) and GitHub issue {progress.GitHubIssueUrl}, labelled approved.");
                    break;
                case VoiceSteps.Failed:
                    throw new InvalidOperationException($"The spoken request failed: {progress.Reason}");
                default:
                    await Say($"Voice request: {progress.Step.Replace('_', ' ')}.");
                    break;
            }
        }
        if (last is not { Step: VoiceSteps.Completed, GitHubIssueUrl: { } url, TicketKey: { } ticket })
            throw new InvalidOperationException($"The spoken request ended without a GitHub issue ({last?.Step}: {last?.Reason}).");
        var number = int.Parse(url[(url.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (number != 1) throw new InvalidOperationException($"Baton filed the spoken request as #{number}, not #1.");
        return new FiledByBaton(ticket, new Dictionary<int, GitHubEmulator.EmulatedIssueRef> { [1] = github.IssueRef(scenario.Repository, number) }, Milestone: null);
    }

    /// <summary>The scenario's WAV, or the transcript spoken by espeak-ng (installed by scripts/run).</summary>
    async Task<string> RecordingAsync(string folder, CancellationToken cancellationToken)
    {
        if (voice.Wav is { } wav)
            return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(scenarioPath ?? ".")) ?? ".", wav));
        var path = Path.Combine(folder, "request.wav");
        ProcessResult spoken;
        try
        {
            spoken = await ProcessRunner.RunAsync(new ProcessSpec("espeak-ng", ["-w", path, voice.Transcript], folder) { Timeout = TimeSpan.FromSeconds(30) }, cancellationToken);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException("espeak-ng is not installed, so the demo cannot speak the request (Debian: apt-get install espeak-ng; scripts/run installs it).");
        }
        if (spoken.ExitCode != 0) throw new InvalidOperationException($"espeak-ng could not speak the request: {spoken.StandardError.Trim()}");
        return path;
    }

    async Task AnswerAsync(HttpClient http, Uri clarify, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, clarify) { Content = JsonContent.Create(new { answer = voice.Answer }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var answered = await http.SendAsync(request, cancellationToken);
        if (!answered.IsSuccessStatusCode)
            throw new InvalidOperationException($"The answer was refused ({(int)answered.StatusCode}): {await answered.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>The request's progress as its server-sent events arrive, until the last one.</summary>
    async IAsyncEnumerable<VoiceProgress> EventsAsync(HttpClient http, Uri events, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, events);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var progress = JsonSerializer.Deserialize<VoiceProgress>(line[5..].Trim(), DurableJson.Options)!;
            yield return progress;
            if (VoiceSteps.IsFinal(progress.Step)) yield break;
        }
    }

    /// <summary>The scripted model: the scenario's issue as the intent, asking the scenario's question until it is answered.</summary>
    string Intent(bool answered)
    {
        var issue = scenario.Issues[0];
        return new JsonObject
        {
            ["project"] = voice.Project,
            ["issue_type"] = "Story",
            ["priority"] = "normal",
            ["summary"] = issue.Title,
            ["description"] = issue.Body ?? issue.Title,
            ["acceptance_criteria"] = new JsonArray($"{issue.Title} works as described"),
            ["confidence"] = answered ? 0.9 : 0.5,
            ["questions"] = answered ? new JsonArray() : new JsonArray(voice.Question),
        }.ToJsonString();
    }

    Task Say(string line) => output.WriteLineAsync($"[voice] {line}");

    public async ValueTask DisposeAsync()
    {
        await whisper.DisposeAsync();
        await ollama.DisposeAsync();
        await jira.DisposeAsync();
    }
}
