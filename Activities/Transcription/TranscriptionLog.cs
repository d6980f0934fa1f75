using Baton.Failures;

namespace Baton.Activities.Transcription;

/// <summary>Log messages of audio conversion, the HTTP transcription providers and <see cref="TranscribeVoice"/> (event
/// ids 7000–7049; the rest of 7xxx is left to the other providers). Never a key, never what was said.</summary>
static partial class TranscriptionLog
{
    [LoggerMessage(EventId = 7000, Level = LogLevel.Debug, Message = "Converted {Format} audio to 16 kHz mono WAV ({Duration}) in {Elapsed}")]
    public static partial void Converted(ILogger logger, string format, TimeSpan duration, TimeSpan elapsed);

    [LoggerMessage(EventId = 7001, Level = LogLevel.Debug, Message = "Reused the converted WAV {WavFile} ({Duration})")]
    public static partial void Reused(ILogger logger, string wavFile, TimeSpan duration);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Error, Message = "Audio conversion failed and will not be retried: {FailureClass}: {Reason}")]
    public static partial void ConversionFailed(ILogger logger, FailureClass failureClass, string reason);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Audio conversion timed out after {Timeout}")]
    public static partial void ConversionTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Debug, Message = "Transcription {Provider} POST {Path} answered {Status} in {Elapsed}")]
    public static partial void Answered(ILogger logger, string provider, string path, int status, TimeSpan elapsed);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Warning, Message = "Transcription {Provider} POST {Path} failed: {FailureClass} (status {Status}), retry after {RetryAfter}: {ServerError}")]
    public static partial void Failed(ILogger logger, string provider, string path, FailureClass failureClass, int? status, TimeSpan? retryAfter, string? serverError);

    [LoggerMessage(EventId = 7012, Level = LogLevel.Error, Message = "Transcription {Provider} POST {Path} failed and will not be retried: {FailureClass} (status {Status}): {ServerError}")]
    public static partial void FailedForGood(ILogger logger, string provider, string path, FailureClass failureClass, int? status, string? serverError);

    [LoggerMessage(EventId = 7013, Level = LogLevel.Information, Message = "Transcription model {Model} cannot answer verbose_json; asking it for json from now on")]
    public static partial void JsonOnly(ILogger logger, string model);

    [LoggerMessage(EventId = 7020, Level = LogLevel.Information, Message = "Transcribed voice request {VoiceId} with {Provider}: {Characters} characters from {Duration} of audio")]
    public static partial void Transcribed(ILogger logger, string voiceId, string provider, int characters, TimeSpan duration);

    [LoggerMessage(EventId = 7021, Level = LogLevel.Error, Message = "Voice request {VoiceId} cannot be transcribed: {Reason}")]
    public static partial void NoProvider(ILogger logger, string voiceId, string reason);
}
