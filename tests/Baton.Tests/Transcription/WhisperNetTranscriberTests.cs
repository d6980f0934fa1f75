using Baton.Activities.Transcription;
using Baton.Activities.Transcription.WhisperNet;
using Baton.Failures;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Tests.Transcription;

/// <summary>
/// The Whisper.net provider end to end: a real <c>whisper-worker</c> child of this build, the real native whisper.cpp,
/// the tiny random-weight model. What it hears is noise, so these tests check the shape of a transcript and how every
/// failure is classified, never the words.
/// </summary>
public sealed class WhisperNetTranscriberTests : IClassFixture<WhisperNetFixture>, IDisposable
{
    const int WorkerFailedEvent = 7202;
    const int WorkerFailedPermanentlyEvent = 7203;

    readonly WhisperNetFixture files;
    readonly LogCapture logs = new();
    readonly ILoggerFactory loggers;

    public WhisperNetTranscriberTests(WhisperNetFixture files)
    {
        this.files = files;
        loggers = LoggerFactory.Create(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
    }

    public void Dispose() => loggers.Dispose();

    WhisperNetTranscriber Transcriber(string? modelPath, TimeSpan? timeout = null, string? language = "en") =>
        new(Options.Create(new TranscriptionOptions
        {
            Provider = TranscriptionOptions.WhisperNet,
            ModelPath = modelPath,
            Language = language,
            // One thread: the machine is shared, and ggml's worker threads spin while they wait for each other.
            Threads = 1,
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
        }), loggers.CreateLogger<WhisperNetTranscriber>());

    [Fact]
    public async Task Transcribe_TinyModelOnSpeech_ReturnsTranscriptWithTheAudiosDuration()
    {
        var transcript = await Transcriber(files.Model).TranscribeAsync(files.Speech, CancellationToken.None);

        Assert.Equal("whisper-net", transcript.Provider);
        Assert.Equal(WhisperNetFixture.DeclaredSeconds(files.Speech), transcript.DurationSeconds, precision: 6);
        Assert.InRange(transcript.DurationSeconds, 1.5, 10);
        Assert.Equal("en", transcript.Language);
        Assert.NotNull(transcript.Text);
        Assert.Contains(logs.Entries, e => e.EventId.Id == 7201);
    }

    [Fact]
    public async Task Transcribe_NoLanguageGiven_ReportsTheDetectedOne()
    {
        var transcript = await Transcriber(files.Model, language: null).TranscribeAsync(files.Speech, CancellationToken.None);

        // Whatever the noise sounds like, it is one of whisper.cpp's language codes, and not one we passed in.
        Assert.Matches("^[a-z]{2,3}$", transcript.Language);
    }

    [Fact]
    public async Task Transcribe_ModelThatAbortsTheWorker_FailsPermanentlyAndTheHostCarriesOn()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(files.TruncatedModel).TranscribeAsync(files.Speech, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Equal($"The Whisper model at {files.TruncatedModel} could not be loaded: the file is malformed or not a ggml Whisper model.", failure.Message);
        // The abort happened, in the child: SIGABRT, reported as 128 + 6.
        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == WorkerFailedPermanentlyEvent);
        Assert.Contains("ExitCode=134", logged.Values, StringComparison.Ordinal);
        // And this process, which would have died with it in-process, still transcribes.
        var transcript = await Transcriber(files.Model).TranscribeAsync(files.Speech, CancellationToken.None);
        Assert.Equal("whisper-net", transcript.Provider);
    }

    [Fact]
    public async Task Transcribe_RandomBytesAsModel_FailsPermanentlyAsMalformed()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(files.RandomBytesModel).TranscribeAsync(files.Speech, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Equal($"The Whisper model at {files.RandomBytesModel} could not be loaded: the file is malformed or not a ggml Whisper model.", failure.Message);
        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == WorkerFailedPermanentlyEvent);
        Assert.Contains($"ExitCode={WhisperNetWorkerExit.ModelUnloadable}", logged.Values, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_MissingModel_FailsPermanentlyNamingTheSetting()
    {
        var missing = Path.Combine(files.Directory, "no-such-model.bin");

        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(missing).TranscribeAsync(files.Speech, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains(missing, failure.Message, StringComparison.Ordinal);
        Assert.Contains("Transcription__ModelPath", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_NoModelConfigured_FailsPermanentlyNamingTheSetting()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(modelPath: null).TranscribeAsync(files.Speech, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith("Transcription__ModelPath is not set", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_WavNot16kHz_FailsPermanently()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(files.Model).TranscribeAsync(files.Speech22k, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith($"The audio {files.Speech22k} is not a 16 kHz PCM WAV", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_NotAWavAtAll_FailsPermanently()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(files.Model).TranscribeAsync(files.Model, CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith($"The audio {files.Model} is not a 16 kHz PCM WAV", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transcribe_PastTheTimeout_FailsWithTimeoutAndLeavesNoWorker()
    {
        var failure = await Assert.ThrowsAsync<ClassifiedFailureException>(
            () => Transcriber(files.Model, timeout: TimeSpan.FromMilliseconds(500)).TranscribeAsync(files.LongSpeech, CancellationToken.None));

        Assert.Equal(FailureClass.Timeout, failure.FailureClass);
        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == WorkerFailedEvent);
        var pid = int.Parse(logged.Values.Split("; ").Single(v => v.StartsWith("ProcessId=", StringComparison.Ordinal))["ProcessId=".Length..],
            System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(pid > 0);
        // Killed and reaped: no /proc entry is left (or the id now belongs to an unrelated process).
        Assert.False(File.Exists($"/proc/{pid}/cmdline") && File.ReadAllText($"/proc/{pid}/cmdline").Contains(files.LongSpeech, StringComparison.Ordinal),
            $"the worker {pid} is still running");
    }
}
