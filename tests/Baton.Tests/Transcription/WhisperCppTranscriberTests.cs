using Baton.Activities.Transcription;
using Baton.Demo.WhisperEmulator;
using Baton.Failures;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Transcription;

/// <summary>The whisper.cpp provider over real loopback HTTP against the emulator: its <c>/inference</c> parts, its
/// verbose_json read back into one line of prose, and its error pages (as errors.json records them) classified.</summary>
public sealed class WhisperCppTranscriberTests
{
    static Task<TranscriptionHarness> StartAsync(string? language = null) =>
        TranscriptionHarness.StartAsync(TranscriptionOptions.WhisperCpp, new Dictionary<string, string?> { ["Transcription:Language"] = language });

    [Fact]
    public async Task Transcribe_PostsTheWavToInference_AndReadsVerboseJson()
    {
        await using var harness = await StartAsync(language: "en");
        harness.Emulator.Script(new WhisperReply("Add a dark mode toggle to the settings page.", "english"));

        var transcript = await harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal(("Add a dark mode toggle to the settings page.", "english", WhisperCppTranscriber.ProviderName),
            (transcript.Text, transcript.Language, transcript.Provider));
        Assert.Equal(WavHeader.TryRead(Speech.Wav16k)!.Duration.TotalSeconds, transcript.DurationSeconds, 3);
        var call = Assert.Single(harness.Emulator.Calls);
        Assert.Equal(WhisperEmulator.WhisperCppPath, call.Path);
        Assert.Equal(new Dictionary<string, string> { ["response_format"] = "verbose_json", ["token_timestamps"] = "false", ["language"] = "en" }, call.Fields);
        Assert.True(call.IsWhisperWav);
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task Transcribe_WithoutALanguage_LeavesItToTheServer()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(new WhisperReply("Bonjour.", "french"));

        var transcript = await harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal(("Bonjour.", "french"), (transcript.Text, transcript.Language));
        Assert.Null(Assert.Single(harness.Emulator.Calls).Field("language"));
    }

    [Theory]
    [InlineData(" [BLANK_AUDIO]", "")]
    [InlineData("", "")]
    [InlineData("Make it better. [BLANK_AUDIO]", "Make it better.")]
    public async Task Transcribe_Silence_IsAnEmptyTranscript(string heard, string expected)
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(new WhisperReply(heard));

        var transcript = await harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None);

        Assert.Equal(expected, transcript.Text);
    }

    [Fact]
    public async Task Transcribe_AudioTheServerCannotRead_IsPermanentInvalidRequest()
    {
        // Not Baton's path (it always converts first), but the server's answer when it happens: errors.json's 400 rewrite.
        await using var harness = await StartAsync();

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Truncated, CancellationToken.None));

        Assert.Equal((FailureClass.Permanent, (int?)400), (failure.FailureClass, failure.StatusCode));
        Assert.Equal($"whisper-cpp POST {WhisperEmulator.WhisperCppPath} answered 400: Invalid request", failure.Message);
    }

    [Theory]
    [InlineData(500, "failed to process audio", FailureClass.Transient, 500, "failed to process audio")]
    [InlineData(500, "Failed to execute ffmpeg command.", FailureClass.Transient, 500, "Failed to execute ffmpeg command.")]
    [InlineData(400, "failed to read WAV file", FailureClass.Permanent, 400, "Invalid request")]
    [InlineData(499, "client disconnected", FailureClass.Permanent, 404, "File Not Found (/inference)")]
    public async Task Transcribe_TheServersOwnErrors_AreClassifiedAsTheyArrive(int status, string error, FailureClass expected, int arrives, string text)
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.WhisperCppError(status, error));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((expected, (int?)arrives, text), (failure.FailureClass, failure.StatusCode, failure.ServerError));
    }

    [Theory]
    [InlineData(429, FailureClass.RateLimited)]
    [InlineData(401, FailureClass.AuthFailed)]
    [InlineData(502, FailureClass.Transient)]
    public async Task Transcribe_AProxyInFront_IsClassifiedByItsStatus(int status, FailureClass expected)
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Error(status, "from the proxy", TimeSpan.FromSeconds(3)));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal((expected, "from the proxy"), (failure.FailureClass, failure.ServerError));
        Assert.Equal(expected == FailureClass.RateLimited ? TimeSpan.FromSeconds(3) : null, failure.RetryAfter);
    }

    [Fact]
    public async Task Transcribe_ADroppedConnection_IsTransient()
    {
        await using var harness = await StartAsync();
        harness.Emulator.Script(WhisperReply.Reset());

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Speech.Wav16k, CancellationToken.None));

        Assert.Equal(FailureClass.Transient, failure.FailureClass);
    }

    [Fact]
    public async Task Transcribe_AMissingWav_IsPermanentAndSendsNothing()
    {
        await using var harness = await StartAsync();

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            harness.Transcriber(TranscriptionOptions.WhisperCpp).TranscribeAsync(Path.Combine(Speech.Directory, "never-made.wav"), CancellationToken.None));

        Assert.Equal((FailureClass.Permanent, "the converted recording never-made.wav is gone; send the recording again"), (failure.FailureClass, failure.Message));
        Assert.Empty(harness.Emulator.Calls);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080", "http://127.0.0.1:8080/inference")]
    [InlineData("http://whisper:8080/asr/", "http://whisper:8080/asr/inference")]
    public void Endpoint_IsRelativeToTheBaseUrl(string baseUrl, string expected) =>
        Assert.Equal(new Uri(expected), WhisperCppTranscriber.Endpoint(new Uri(baseUrl)));
}
