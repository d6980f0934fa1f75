using Baton.Activities.Transcription;
using Baton.Demo.WhisperEmulator;
using Baton.Failures;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Transcription;

/// <summary>The OpenAI-compatible provider over real loopback HTTP against the emulator: the multipart fields it sends,
/// the bearer key only when configured (and never in a message or a log), the json fallback for models without
/// verbose_json, and every failure status classified.</summary>
public sealed class OpenAiTranscriberTests
{
    const string Key = "sk-test-0123456789abcdef";

    static Task<TranscriptionHarness> StartAsync(string? apiKey = null, string? language = null, string timeout = "00:01:00") =>
        TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI, new Dictionary<string, string?>
        {
            ["Transcription:ApiKey"] = apiKey,
            ["Transcription:Language"] = language,
            ["Transcription:Model"] = "whisper-1",
            ["Transcription:Timeout"] = timeout,
        });

    [Fact]
    public async Task Transcribe_SendsTheWavModelAndVerboseJson_AndReadsTheAnswer()
    {
        await using var harness = await StartAsync(language: "en");
        harness.Emulator.Script(new WhisperReply("Add a dark mode toggle to the settings page. High priority.", "english"));

        var transcript = await harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal(new Transcript("Add a dark mode toggle to the settings page. High priority.", "english",
            Math.Round(WavHeader.TryRead(Speech.Wav16k)!.Duration.TotalSeconds, 3), OpenAiTranscriber.ProviderName), transcript);
        var call = Assert.Single(harness.Emulator.Calls);
        Assert.Equal(WhisperEmulator.OpenAiPath, call.Path);
        Assert.Equal(new Dictionary<string, string> { ["model"] = "whisper-1", ["response_format"] = "verbose_json", ["language"] = "en" }, call.Fields);
        Assert.Equal(("request-1-16k.wav", "audio/wav", new FileInfo(Speech.Wav16k).Length), (call.FileName, call.FileContentType, call.FileLength));
        Assert.True(call.IsWhisperWav);
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task Transcribe_WithAKey_SendsItAsBearer_AndNeverLogsIt()
    {
        await using var harness = await StartAsync(apiKey: Key);
        harness.Emulator.ApiKey = Key;
        harness.Emulator.Script(new WhisperReply("Export invoices as PDF."));

        var transcript = await harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal("Export invoices as PDF.", transcript.Text);
        Assert.Equal($"Bearer {Key}", Assert.Single(harness.Emulator.Calls).Authorization);
        Assert.DoesNotContain(harness.Logs.Entries, e => (e.Message + e.Values).Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transcribe_WrongKey_IsAuthFailed_WithoutTheKeyInTheMessage()
    {
        await using var harness = await StartAsync(apiKey: Key);
        harness.Emulator.ApiKey = "sk-the-right-one-0000000";

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((FailureClass.AuthFailed, (int?)401), (failure.FailureClass, failure.StatusCode));
        Assert.Contains("Incorrect API key provided", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key[^4..], failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Entries, e => (e.Message + e.Values).Contains(Key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transcribe_AModelWithoutVerboseJson_FallsBackToJson_AndRemembers()
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI,
            new Dictionary<string, string?> { ["Transcription:Model"] = "gpt-4o-transcribe" });
        harness.Emulator.JsonOnlyModels.Add("gpt-4o-transcribe");
        harness.Emulator.Script(new WhisperReply("first"), new WhisperReply("second"));
        var transcriber = harness.Transcriber(TranscriptionOptions.OpenAI);

        var first = await transcriber.TranscribeAsync(Speech.Wav16k, CancellationToken.None);
        var second = await harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal(("first", "second"), (first.Text, second.Text));
        Assert.Equal(["verbose_json", "json", "json"], harness.Emulator.Calls.Select(c => c.Field("response_format")));
        // json carries no duration: the WAV's own is reported.
        Assert.Equal(WavHeader.TryRead(Speech.Wav16k)!.Duration.TotalSeconds, first.DurationSeconds, 3);
    }

    [Theory]
    [InlineData(429, FailureClass.RateLimited)]
    [InlineData(401, FailureClass.AuthFailed)]
    [InlineData(403, FailureClass.AuthFailed)]
    [InlineData(408, FailureClass.Transient)]
    [InlineData(500, FailureClass.Transient)]
    [InlineData(502, FailureClass.Transient)]
    [InlineData(503, FailureClass.Transient)]
    [InlineData(400, FailureClass.Permanent)]
    [InlineData(404, FailureClass.Permanent)]
    [InlineData(413, FailureClass.Permanent)]
    public async Task Transcribe_AnErrorStatus_IsClassifiedWithTheServersText(int status, FailureClass expected)
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Error(status, "the server says no"));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((expected, (int?)status), (failure.FailureClass, failure.StatusCode));
        Assert.Equal($"openai POST {WhisperEmulator.OpenAiPath} answered {status}: the server says no", failure.Message);
        Assert.Equal(expected == FailureClass.RateLimited, failure.RetryAfter is not null);
    }

    [Fact]
    public async Task Transcribe_RateLimited_CarriesTheServersRetryAfter()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Error(429, "Rate limit reached for requests", TimeSpan.FromSeconds(17)));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((FailureClass.RateLimited, (TimeSpan?)TimeSpan.FromSeconds(17)), (failure.FailureClass, failure.RetryAfter));
    }

    [Fact]
    public async Task Transcribe_ALongErrorBody_IsShortened()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Error(400, new string('x', 5000)));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.InRange(failure.Message.Length, 300, 400);
    }

    [Fact]
    public async Task Transcribe_ADroppedConnection_IsTransient()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Reset());

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((FailureClass.Transient, (int?)null), (failure.FailureClass, failure.StatusCode));
    }

    [Fact]
    public async Task Transcribe_AServerThatNeverAnswers_IsATimeout()
    {
        await using var harness = await StartAsync(timeout: "00:00:01");
        harness.Emulator.Script(WhisperReply.Hang());

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.OpenAI).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal(FailureClass.Timeout, failure.FailureClass);
        Assert.Contains("did not answer within 00:00:01", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/", "http://127.0.0.1:9/v1/audio/transcriptions")]
    [InlineData("https://api.openai.com/v1", "https://api.openai.com/v1/audio/transcriptions")]
    [InlineData("http://localai:8080/openai/", "http://localai:8080/openai/v1/audio/transcriptions")]
    public void Endpoint_AddsV1OnlyWhenMissing(string baseUrl, string expected) =>
        Assert.Equal(new Uri(expected), OpenAiTranscriber.Endpoint(new Uri(baseUrl)));
}
