namespace Baton.Demo.WhisperEmulator;

/// <summary>How a scripted reply misbehaves at the transport level.</summary>
public enum WhisperFault
{
    None,
    /// <summary>Never answers: the request waits until the client gives up.</summary>
    Hang,
    /// <summary>Drops the connection without an answer.</summary>
    Reset,
}

/// <summary>A scripted answer: a transcript (<see cref="Text"/>, heard in <see cref="Language"/>), or an error status with
/// its text.</summary>
/// <param name="DurationSeconds">The duration to report; by default the uploaded WAV's.</param>
/// <param name="FromWhisperCpp">The error is whisper.cpp's own, so on <c>/inference</c> it goes through the server's
/// error handler (errors.json); otherwise it is answered as is (a proxy in front, or another server).</param>
public sealed record WhisperReply(string Text, string? Language = "english", int Status = 200, TimeSpan? RetryAfter = null,
    double? DurationSeconds = null, WhisperFault Fault = WhisperFault.None, bool FromWhisperCpp = false)
{
    /// <summary>An error answered as is, in the protocol's error shape, with Retry-After when given.</summary>
    public static WhisperReply Error(int status, string message, TimeSpan? retryAfter = null) => new(message, null, status, retryAfter);

    /// <summary>An error of whisper.cpp's own <c>/inference</c> handler (e.g. 500 "failed to process audio").</summary>
    public static WhisperReply WhisperCppError(int status, string message) => new(message, null, status, FromWhisperCpp: true);

    public static WhisperReply Hang() => new("", Fault: WhisperFault.Hang);

    public static WhisperReply Reset() => new("", Fault: WhisperFault.Reset);
}
