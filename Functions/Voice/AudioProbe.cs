using System.Globalization;
using Baton.Activities.Transcription;
using Baton.Runner.Processes;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Voice;

/// <summary>What <see cref="AudioProbe"/> found: the audio's length, or why it cannot be used.</summary>
public sealed record AudioCheck(TimeSpan Duration, string? Problem)
{
    public bool IsUsable => Problem is null;
}

/// <summary>
/// Measures an upload with ffprobe and ffmpeg (Debian's packages; ffprobe beside <see cref="TranscriptionOptions.FfmpegPath"/>).
/// A header's duration cannot be trusted: MediaRecorder's WebM has none, and a truncated file keeps the length its header
/// promised. So after ffprobe has named the audio stream, a stream-copy pass (<c>-c copy -f null</c>: reads every packet,
/// decodes nothing, fast) gives the time actually present and reports a file that ends early.
/// </summary>
public sealed class AudioProbe(IOptionsMonitor<TranscriptionOptions> options)
{
    static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);
    static readonly TimeSpan Shortest = TimeSpan.FromMilliseconds(100);

    /// <exception cref="System.ComponentModel.Win32Exception">ffprobe or ffmpeg is not installed.</exception>
    /// <exception cref="InvalidOperationException">ffprobe or ffmpeg ran past its time limit.</exception>
    public async Task<AudioCheck> CheckAsync(string path, CancellationToken cancellationToken)
    {
        var ffmpeg = options.CurrentValue.FfmpegPath;
        var probe = await RunAsync(Beside(ffmpeg, "ffprobe"),
            ["-v", "error", "-select_streams", "a:0", "-show_entries", "stream=codec_name", "-of", "default=nw=1:nk=1", path], cancellationToken);
        if (probe.ExitCode != 0)
            return new(TimeSpan.Zero, "The file could not be read as audio (" + FirstError(probe.StandardError, path) + ").");
        if (probe.StandardOutput.Trim().Length == 0)
            return new(TimeSpan.Zero, "The file has no audio stream.");

        var copy = await RunAsync(ffmpeg,
            ["-hide_banner", "-nostdin", "-v", "error", "-nostats", "-progress", "pipe:1", "-i", path, "-map", "0:a:0", "-c", "copy", "-f", "null", "-"],
            cancellationToken);
        if (copy.ExitCode != 0 || copy.StandardError.Contains("prematurely", StringComparison.OrdinalIgnoreCase))
            return new(TimeSpan.Zero, "The audio is truncated or damaged (" + FirstError(copy.StandardError, path) + "): send the whole recording.");
        var duration = LastTime(copy.StandardOutput);
        if (duration < Shortest)
            return new(duration, "The recording contains no audio (it lasts less than a tenth of a second).");
        return new(duration, null);
    }

    /// <summary>ffprobe lives beside ffmpeg (Debian installs both into /usr/bin); a bare name stays a bare name for PATH.</summary>
    static string Beside(string ffmpeg, string tool) =>
        Path.GetDirectoryName(ffmpeg) is { Length: > 0 } folder ? Path.Combine(folder, tool) : tool;

    /// <summary>The last <c>out_time_us</c> of <c>-progress</c> output (microseconds; ffmpeg prints N/A before the first packet).</summary>
    static TimeSpan LastTime(string progress)
    {
        var last = TimeSpan.Zero;
        foreach (var line in progress.Split('\n'))
            if (line.StartsWith("out_time_us=", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(12).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var micros) && micros > 0)
                last = TimeSpan.FromMicroseconds(micros);
        return last;
    }

    /// <summary>ffmpeg's first error line, without the server-side path it names.</summary>
    static string FirstError(string errors, string path)
    {
        var line = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "no detail";
        line = line.Replace(path, "the file", StringComparison.Ordinal);
        if (line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0) line = line[(end + 2)..];
        return line.Length > 160 ? line[..160] + "…" : line;
    }

    /// <exception cref="System.ComponentModel.Win32Exception">The tool is not installed.</exception>
    static async Task<ProcessResult> RunAsync(string executable, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(new ProcessSpec(executable, arguments, Path.GetTempPath()) { Timeout = Limit }, cancellationToken);
        if (result.TimedOut) throw new InvalidOperationException($"{Path.GetFileName(executable)} ran longer than {Limit.TotalSeconds:0} s.");
        return result;
    }
}
