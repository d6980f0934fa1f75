using System.ComponentModel;
using System.Diagnostics;
using Baton.Failures;
using Baton.Runner.Processes;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Transcription.WhisperNet;

/// <summary>
/// Whisper.net (whisper.cpp) on this machine, in a child process per transcription: the <c>whisper-worker</c> verb of
/// this same assembly (<see cref="WhisperNetWorker"/>). whisper.cpp aborts its process on some malformed models
/// (STACK.md), so the host only ever sees an exit code. <see cref="TranscriptionOptions.Timeout"/> kills the child's
/// whole tree; the model is loaded per call, which for real models costs well under the decode itself.
/// </summary>
public sealed class WhisperNetTranscriber(IOptions<TranscriptionOptions> options, ILogger<WhisperNetTranscriber> logger) : ITranscriber
{
    public const string ProviderName = "whisper-net";

    const string ModelPathKey = "Transcription__ModelPath";

    // The signals by which native code dies of its input: abort (whisper.cpp's GGML_ASSERT, an uncaught C++ exception
    // in the loader), a bad pointer, a bus error, a division by zero. SIGKILL (the OOM killer) and SIGTERM (shutdown)
    // say nothing about the model and stay transient.
    static readonly int[] CrashSignals = [6, 11, 7, 8];

    public string Name => ProviderName;

    public async Task<Transcript> TranscribeAsync(string wavPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var modelPath = settings.ModelPath;
        if (string.IsNullOrWhiteSpace(modelPath))
            throw Fail(FailureClass.Permanent, null, $"{ModelPathKey} is not set: Whisper.net needs a ggml Whisper model file (for example ggml-base.en.bin).");
        if (!File.Exists(modelPath))
            throw Fail(FailureClass.Permanent, null, ModelMissing(modelPath));
        if (!File.Exists(wavPath))
            throw Fail(FailureClass.Permanent, null, $"The audio {wavPath} does not exist.");

        WhisperNetLog.Starting(logger, wavPath, modelPath);
        var spec = WhisperNetWorkerCommand.Spec(modelPath, wavPath, settings.Language, settings.Threads, settings.Timeout);
        var started = Stopwatch.GetTimestamp();
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(spec, cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw Fail(FailureClass.Transient, null, $"The Whisper worker could not be started ({spec.FileName}): {e.Message}");
        }

        var transcript = Interpret(result, modelPath, wavPath, settings.Timeout);
        WhisperNetLog.Transcribed(logger, transcript.Text.Length, transcript.Language, transcript.DurationSeconds,
            Stopwatch.GetElapsedTime(started), LastLine(result.StandardError));
        return transcript;
    }

    Transcript Interpret(ProcessResult result, string modelPath, string wavPath, TimeSpan timeout)
    {
        if (result.TimedOut)
            throw Fail(FailureClass.Timeout, result, $"Whisper.net did not finish {wavPath} within {timeout} (Transcription__Timeout); the worker was killed.");

        var reason = WhisperNetWorkerProtocol.LastLine<WhisperNetWorkerError>(result.StandardError)?.Error
            ?? (LastLine(result.StandardError) is { Length: > 0 } line ? line : "no error message");
        switch (result.ExitCode)
        {
            case WhisperNetWorkerExit.Success:
                var answer = WhisperNetWorkerProtocol.LastLine<WhisperNetWorkerResult>(result.StandardOutput)
                    ?? throw Fail(FailureClass.Transient, result, "The Whisper worker exited without a result line.");
                return new Transcript(answer.Text, answer.Language, answer.DurationSeconds, ProviderName);
            case WhisperNetWorkerExit.ModelMissing:
                throw Fail(FailureClass.Permanent, result, ModelMissing(modelPath));
            case WhisperNetWorkerExit.ModelUnloadable:
                throw Fail(FailureClass.Permanent, result, Malformed(modelPath));
            case WhisperNetWorkerExit.AudioMissing:
                throw Fail(FailureClass.Permanent, result, $"The audio {wavPath} does not exist.");
            case WhisperNetWorkerExit.AudioUnsupported:
                throw Fail(FailureClass.Permanent, result, $"The audio {wavPath} is not a 16 kHz PCM WAV: {reason}");
            case > WhisperNetWorkerExit.SignalBase when CrashSignals.Contains(result.ExitCode - WhisperNetWorkerExit.SignalBase):
                throw Fail(FailureClass.Permanent, result, Malformed(modelPath));
            case > WhisperNetWorkerExit.SignalBase:
                throw Fail(FailureClass.Transient, result, $"The Whisper worker was killed by signal {result.ExitCode - WhisperNetWorkerExit.SignalBase}.");
            default:
                throw Fail(FailureClass.Transient, result, $"The Whisper worker failed (exit {result.ExitCode}): {reason}");
        }
    }

    static string ModelMissing(string modelPath) =>
        $"The Whisper model {modelPath} does not exist: set {ModelPathKey} to a ggml Whisper model file.";

    static string Malformed(string modelPath) =>
        $"The Whisper model at {modelPath} could not be loaded: the file is malformed or not a ggml Whisper model.";

    /// <summary>Logs and builds the failure; <paramref name="worker"/> is null when no worker was started. The log
    /// carries the worker's process id, so a time-out can be checked to have left nothing running.</summary>
    ClassifiedFailureException Fail(FailureClass failureClass, ProcessResult? worker, string message)
    {
        var exitCode = worker is { TimedOut: false } ? worker.ExitCode : (int?)null;
        if (failureClass.IsNeverRetried()) WhisperNetLog.FailedPermanently(logger, failureClass, worker?.ProcessId, exitCode, message);
        else WhisperNetLog.Failed(logger, failureClass, worker?.ProcessId, exitCode, message);
        return new ClassifiedFailureException(failureClass, message);
    }

    static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } lines ? lines[^1] : "";
}
