namespace Baton.Functions.Voice;

/// <summary>The voice intake's log lines: 1300–1319 (entry points). API keys, audio and answer texts are never logged.</summary>
static partial class VoiceLog
{
    [LoggerMessage(1300, LogLevel.Information, "Voice request {VoiceId} received from {SubmittedBy}: {Format}, {Bytes} bytes, {Seconds:0.0} s")]
    public static partial void Received(ILogger logger, string voiceId, string submittedBy, string format, long bytes, double seconds);

    [LoggerMessage(1301, LogLevel.Information, "Voice upload refused ({Status}): {Reason}")]
    public static partial void Refused(ILogger logger, int status, string reason);

    [LoggerMessage(1302, LogLevel.Information, "Voice request {VoiceId} clarified by {By} ({Verdict})")]
    public static partial void Clarified(ILogger logger, string voiceId, string by, string verdict);

    [LoggerMessage(1303, LogLevel.Debug, "Voice request {Method} {Path} refused: {Reason}")]
    public static partial void Unauthenticated(ILogger logger, string method, string path, string reason);

    [LoggerMessage(1305, LogLevel.Debug, "Voice upload {VoiceId} abandoned by its sender before it finished")]
    public static partial void Abandoned(ILogger logger, string voiceId);

    [LoggerMessage(1306, LogLevel.Information, "Voice request {VoiceId}: {Files} file(s) left in the upload folder deleted ({Request})")]
    public static partial void Swept(ILogger logger, string voiceId, int files, string request);

    [LoggerMessage(1307, LogLevel.Warning, "Voice upload folder sweep failed: {Reason}")]
    public static partial void SweepFailed(ILogger logger, string reason);

    [LoggerMessage(1304, LogLevel.Warning, "Voice audio probe of {VoiceId} failed to run: {Reason}")]
    public static partial void ProbeFailed(ILogger logger, string voiceId, string reason);
}
