using System.Text.Json;

namespace Baton.Activities.Transcription.WhisperNet;

/// <summary>What the <c>whisper-worker</c> child prints on success: exactly one JSON line on stdout.</summary>
/// <param name="Language">The language Whisper heard (or was told); null when it produced no segment and was not told.</param>
public sealed record WhisperNetWorkerResult(string Text, string? Language, double DurationSeconds);

/// <summary>What the child prints on failure: one JSON line on stderr, beside a non-zero <see cref="WhisperNetWorkerExit"/>.</summary>
public sealed record WhisperNetWorkerError(string Error);

/// <summary>
/// The child's exit codes: the parent classifies by them, not by message text. Codes above 128 are not the child's own:
/// .NET reports a child killed by signal N as 128 + N (134 is SIGABRT, which is how whisper.cpp stops on a malformed
/// model). The worker catches every managed exception, so 134 never means "unhandled .NET exception".
/// </summary>
public static class WhisperNetWorkerExit
{
    public const int Success = 0;
    /// <summary>Anything unexpected (the native library would not load, an I/O error): worth another attempt.</summary>
    public const int Failed = 1;
    /// <summary>The command line was wrong (a Baton bug, never the user's input).</summary>
    public const int Usage = 64;
    public const int ModelMissing = 70;
    /// <summary>whisper.cpp refused the model cleanly (bad magic, wrong tensor shapes).</summary>
    public const int ModelUnloadable = 71;
    public const int AudioMissing = 72;
    /// <summary>Not a PCM WAV at 16 kHz.</summary>
    public const int AudioUnsupported = 73;

    public const int SignalBase = 128;
}

/// <summary>The worker's command line and JSON lines, written and read in one place.</summary>
public static class WhisperNetWorkerProtocol
{
    public const string Verb = "whisper-worker";
    public const string Model = "--model";
    public const string Wav = "--wav";
    public const string Language = "--language";
    public const string Threads = "--threads";

    // camelCase, and non-ASCII escaped: the line survives any console encoding the child happens to get. Required
    // members are enforced, so a result line is never mistaken for an error line or the other way round.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static string Line<T>(T value) => JsonSerializer.Serialize(value, Json);

    /// <summary>The last line of <paramref name="output"/> that parses as <typeparamref name="T"/>, or null.</summary>
    public static T? LastLine<T>(string output) where T : class
    {
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Reverse())
        {
            if (!line.StartsWith('{')) continue;
            try
            {
                if (JsonSerializer.Deserialize<T>(line, Json) is { } parsed) return parsed;
            }
            catch (JsonException)
            {
                // Not ours (native code may print to the same stream); keep looking.
            }
        }
        return null;
    }
}
