using Baton.Failures;

namespace Baton.Activities.Transcription.WhisperNet;

/// <summary>Log messages of the Whisper.net provider (event ids 7200–7249). Never the transcript, only its size.</summary>
static partial class WhisperNetLog
{
    [LoggerMessage(EventId = 7200, Level = LogLevel.Debug, Message = "Starting the Whisper worker on {WavPath} with the model {ModelPath}")]
    public static partial void Starting(ILogger logger, string wavPath, string modelPath);

    [LoggerMessage(EventId = 7201, Level = LogLevel.Information,
        Message = "Whisper.net heard {Characters} characters ({Language}) in {DurationSeconds} s of audio, in {Elapsed} ({WorkerTimings})")]
    public static partial void Transcribed(ILogger logger, int characters, string? language, double durationSeconds, TimeSpan elapsed, string workerTimings);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Warning, Message = "Whisper.net failed ({FailureClass}, worker {ProcessId}, exit {ExitCode}), will be retried: {Reason}")]
    public static partial void Failed(ILogger logger, FailureClass failureClass, int? processId, int? exitCode, string reason);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Error, Message = "Whisper.net failed ({FailureClass}, worker {ProcessId}, exit {ExitCode}), not retried: {Reason}")]
    public static partial void FailedPermanently(ILogger logger, FailureClass failureClass, int? processId, int? exitCode, string reason);
}
