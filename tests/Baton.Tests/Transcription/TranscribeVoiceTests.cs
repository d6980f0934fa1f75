using Baton.Activities.Transcription;
using Baton.Demo.WhisperEmulator;
using Baton.Failures;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Transcription;

/// <summary>The activity as the worker builds it from <c>AddTranscription()</c>: it converts beside the upload, reuses
/// that conversion on a re-run, transcribes with the configured keyed provider, and fails Permanent, before converting
/// anything, when none is configured.</summary>
public sealed class TranscribeVoiceTests : IDisposable
{
    readonly TranscriptionTestFolder folder = new();

    public void Dispose() => folder.Dispose();

    static TranscribeVoice Activity(TranscriptionHarness harness) => ActivatorUtilities.CreateInstance<TranscribeVoice>(harness.Services);

    [Fact]
    public async Task Run_ConvertsBesideTheUpload_AndReturnsWhatWasHeard()
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI);
        harness.Emulator.Script(new WhisperReply(Speech.RequestTexts[0], "english"));
        var upload = Speech.CopyTo(Speech.As("webm"), folder.Path, "upload.webm");

        var transcript = await Activity(harness).RunAsync(null!, new TranscriptionRequest("v-123", upload));

        var wav = WavHeader.TryRead(folder.File("v-123.wav"));
        Assert.True(wav is { IsWhisperReady: true, IsComplete: true });
        Assert.Equal(new Transcript(Speech.RequestTexts[0], "english", wav.Duration.TotalSeconds, OpenAiTranscriber.ProviderName), transcript);
        var call = Assert.Single(harness.Emulator.Calls);
        Assert.Equal(("v-123.wav", true), (call.FileName, call.IsWhisperWav));
        Assert.Empty(folder.Partials);
    }

    [Fact]
    public async Task Run_Again_ReusesTheConversion()
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.WhisperCpp);
        harness.Emulator.Script(new WhisperReply("Export invoices as PDF."), new WhisperReply("Export invoices as PDF."));
        var upload = Speech.CopyTo(Speech.As("m4a"), folder.Path, "upload.m4a");
        var request = new TranscriptionRequest("v-9", upload);

        var first = await Activity(harness).RunAsync(null!, request);
        var converted = File.GetLastWriteTimeUtc(folder.File("v-9.wav"));
        // The upload is gone: only a reused conversion can answer now.
        File.Delete(upload);
        var again = await Activity(harness).RunAsync(null!, request);

        Assert.Equal(first, again);
        Assert.Equal(converted, File.GetLastWriteTimeUtc(folder.File("v-9.wav")));
        Assert.Equal(2, harness.Emulator.Calls.Count);
    }

    [Fact]
    public async Task Run_Silence_IsAnEmptyTranscript()
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.WhisperCpp);
        harness.Emulator.Script(new WhisperReply(" [BLANK_AUDIO]"));
        var upload = Speech.CopyTo(Speech.Silence.Path, folder.Path, "upload.wav");

        var transcript = await Activity(harness).RunAsync(null!, new TranscriptionRequest("v-quiet", upload));

        Assert.Equal(("", 3.0), (transcript.Text, transcript.DurationSeconds));
    }

    [Fact]
    public async Task Run_WhisperNet_UsesWhateverIsRegisteredUnderItsKey()
    {
        var standIn = new StandInTranscriber("  heard by the stand-in \n");
        await using var harness = await TranscriptionHarness.StartAsync("whispernet",
            services: s => s.AddKeyedSingleton<ITranscriber>(TranscriptionOptions.WhisperNet, standIn));
        var upload = Speech.CopyTo(Speech.As("mp3"), folder.Path, "upload.mp3");

        var transcript = await Activity(harness).RunAsync(null!, new TranscriptionRequest("v-net", upload));

        Assert.Equal(("heard by the stand-in", "stand-in"), (transcript.Text, transcript.Provider));
        Assert.Equal([folder.File("v-net.wav")], standIn.Heard);
        Assert.Empty(harness.Emulator.Calls);
    }

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("Azure", "'Azure' is none of WhisperNet, OpenAI, WhisperCpp")]
    [InlineData("WhisperNet", "WhisperNet is not available in this host")]
    public async Task Run_WithoutAUsableProvider_IsPermanent_AndConvertsNothing(string provider, string detail)
    {
        await using var harness = await TranscriptionHarness.StartAsync(provider);
        var upload = Speech.CopyTo(Speech.As("ogg"), folder.Path, "upload.ogg");

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() => Activity(harness).RunAsync(null!, new TranscriptionRequest("v-1", upload)));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Equal($"no transcription provider configured (Transcription__Provider): {detail}", failure.Message);
        Assert.False(File.Exists(folder.File("v-1.wav")));
    }

    [Fact]
    public async Task Run_ADamagedUpload_FailsBeforeAnyoneIsAsked()
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI);
        var upload = Speech.CopyTo(Speech.Truncated, folder.Path, "upload.m4a");

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() => Activity(harness).RunAsync(null!, new TranscriptionRequest("v-1", upload)));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith("the recording could not be decoded", failure.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Emulator.Calls);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("..")]
    [InlineData("")]
    public async Task Run_AnIdThatIsNotAFileName_IsPermanent(string voiceId)
    {
        await using var harness = await TranscriptionHarness.StartAsync(TranscriptionOptions.OpenAI);

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            Activity(harness).RunAsync(null!, new TranscriptionRequest(voiceId, folder.File("upload.wav"))));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(folder.Path)!, "escape.wav"));
    }

    sealed class StandInTranscriber(string text) : ITranscriber
    {
        public List<string> Heard { get; } = [];

        public string Name => "stand-in";

        public Task<Transcript> TranscribeAsync(string wavPath, CancellationToken cancellationToken)
        {
            Heard.Add(wavPath);
            return Task.FromResult(new Transcript(text, null, 0, Name));
        }
    }
}
