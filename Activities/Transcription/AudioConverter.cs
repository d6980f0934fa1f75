using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Baton.Activities.Voice;
using Baton.Failures;
using Baton.Runner.Processes;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Transcription;

/// <summary>A recording as every provider takes it: 16 kHz mono 16-bit PCM WAV at <paramref name="WavPath"/>.</summary>
/// <param name="Reused">True when a complete conversion was already there (a re-run of the activity).</param>
public sealed record ConvertedAudio(string WavPath, TimeSpan Duration, bool Reused);

/// <summary>
/// Turns an upload (WAV, MP3, OGG/Opus, WebM/Opus, M4A — recognised by its bytes) into 16 kHz mono PCM WAV with ffmpeg,
/// run as an argument list (never through a shell) with <see cref="TranscriptionOptions.Timeout"/>. ffmpeg writes a
/// temporary name that is renamed into place only once the result is checked, so a crash never leaves a half file
/// that looks complete. Recordings longer than <see cref="VoiceOptions.MaxDuration"/> are refused after decoding at most
/// a second past it.
/// </summary>
public sealed class AudioConverter(IOptions<TranscriptionOptions> transcription, IOptions<VoiceOptions> voice, ILogger<AudioConverter> logger)
{
    /// <summary>Decoded past the limit, so that a recording just over it is told apart from one that fits exactly.</summary>
    static readonly TimeSpan Overshoot = TimeSpan.FromSeconds(1);

    const string NoAudioStream = "it has no audio stream";

    /// <summary>Returns <paramref name="wavPath"/> when it already holds a complete conversion within the limit, else
    /// converts <paramref name="sourcePath"/> into it. Safe to repeat.</summary>
    public async Task<ConvertedAudio> EnsureWavAsync(string sourcePath, string wavPath, CancellationToken cancellationToken)
    {
        if (WavHeader.TryRead(wavPath) is { IsWhisperReady: true, IsComplete: true, DataLength: > 0 } existing && existing.Duration <= voice.Value.MaxDuration)
        {
            TranscriptionLog.Reused(logger, Path.GetFileName(wavPath), existing.Duration);
            return new ConvertedAudio(wavPath, existing.Duration, Reused: true);
        }
        return await ConvertAsync(sourcePath, wavPath, cancellationToken);
    }

    /// <summary>Converts <paramref name="sourcePath"/> to 16 kHz mono PCM WAV at <paramref name="wavPath"/> (replacing
    /// it, even when both are the same file).</summary>
    /// <exception cref="TranscriptionException">Permanent when the recording cannot be used (with a reason a person can
    /// act on), Timeout when ffmpeg ran out of time.</exception>
    public async Task<ConvertedAudio> ConvertAsync(string sourcePath, string wavPath, CancellationToken cancellationToken)
    {
        sourcePath = Path.GetFullPath(sourcePath);
        wavPath = Path.GetFullPath(wavPath);
        var format = await DetectAsync(sourcePath, cancellationToken);
        var directory = Path.GetDirectoryName(wavPath)!;
        Directory.CreateDirectory(directory);
        // Named {id}.wav.*.partial so that whatever cleans a request's files ({id}.*) also takes a crash's leftover.
        var partial = Path.Combine(directory, $"{Path.GetFileName(wavPath)}.{Guid.NewGuid():N}.partial");
        var started = Stopwatch.GetTimestamp();
        try
        {
            var wav = await RunFfmpegAsync(sourcePath, partial, directory, cancellationToken);
            File.Move(partial, wavPath, overwrite: true);
            TranscriptionLog.Converted(logger, format, wav.Duration, Stopwatch.GetElapsedTime(started));
            return new ConvertedAudio(wavPath, wav.Duration, Reused: false);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    async Task<string> DetectAsync(string sourcePath, CancellationToken cancellationToken)
    {
        var head = new byte[AudioFormats.HeadLength];
        int read;
        try
        {
            await using var file = File.OpenRead(sourcePath);
            read = await file.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Fail(FailureClass.Permanent, "the recording is no longer stored (it may have been cleaned up); send it again", e);
        }
        return AudioFormats.Detect(head.AsSpan(0, read))
            ?? throw Fail(FailureClass.Permanent, $"the upload is not a recording Baton can read ({AudioFormats.Describe(head.AsSpan(0, read))}); send {AudioFormats.Accepted}");
    }

    async Task<WavHeader> RunFfmpegAsync(string sourcePath, string partial, string directory, CancellationToken cancellationToken)
    {
        var settings = transcription.Value;
        var limit = voice.Value.MaxDuration;
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync(new ProcessSpec(settings.FfmpegPath, Arguments(sourcePath, partial, limit + Overshoot), directory)
            {
                Timeout = settings.Timeout,
                MaxCapturedChars = 16 * 1024,
            }, cancellationToken);
        }
        catch (Win32Exception e)
        {
            throw Fail(FailureClass.Permanent, settings.FfmpegPath == new TranscriptionOptions().FfmpegPath
                ? "ffmpeg is not installed (Debian: apt-get install ffmpeg)"
                : $"ffmpeg is not installed at {settings.FfmpegPath} (Transcription__FfmpegPath; Debian: apt-get install ffmpeg)", e);
        }
        if (result.TimedOut)
        {
            TranscriptionLog.ConversionTimedOut(logger, settings.Timeout);
            throw new TranscriptionException(FailureClass.Timeout, $"converting the recording took longer than {settings.Timeout} (Transcription__Timeout)");
        }
        // ffmpeg runs at -loglevel error: anything on stderr is a decoding error, which for a recording means it is
        // damaged or cut short (a cut MP3 or WebM still exits 0 with a partial result, and half a request is worse than none).
        if (result.ExitCode != 0 || !string.IsNullOrWhiteSpace(result.StandardError))
        {
            var reason = Reason(result, sourcePath);
            throw Fail(FailureClass.Permanent, reason == NoAudioStream
                ? $"the recording could not be decoded: {reason}"
                : $"the recording could not be decoded: {reason}; it may be cut short or damaged: record or export it again");
        }
        var wav = WavHeader.TryRead(partial);
        if (wav is not { IsWhisperReady: true, IsComplete: true })
            throw Fail(FailureClass.Permanent, "the recording could not be decoded: ffmpeg wrote no usable WAV");
        if (wav.DataLength == 0)
            throw Fail(FailureClass.Permanent, "the recording could not be decoded: it holds no audio");
        if (wav.Duration > limit)
            throw Fail(FailureClass.Permanent, $"the recording is longer than {Describe(limit)}; send a shorter one");
        return wav;
    }

    /// <summary>ffmpeg's arguments. <c>file:</c> keeps a path from being read as a protocol (<c>http:</c>, <c>concat:</c>);
    /// the bit-exact flags keep the header to the plain 44 bytes every WAV reader understands.</summary>
    internal static IReadOnlyList<string> Arguments(string sourcePath, string wavPath, TimeSpan limit) =>
    [
        "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", "file:" + sourcePath,
        "-map", "0:a:0", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", WavHeader.WhisperSampleRate.ToString(CultureInfo.InvariantCulture), "-c:a", "pcm_s16le",
        "-t", limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture),
        "-map_metadata", "-1", "-flags", "+bitexact", "-fflags", "+bitexact",
        "-f", "wav", "file:" + wavPath,
    ];

    /// <summary>ffmpeg's last meaningful stderr line, without its internal prefix or the server's paths.</summary>
    internal static string Reason(ProcessResult result, string sourcePath)
    {
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Any(l => l.Contains("matches no streams", StringComparison.Ordinal))) return NoAudioStream;
        var last = lines.LastOrDefault(l => !l.StartsWith("To ignore this", StringComparison.Ordinal) && !l.StartsWith("Last message repeated", StringComparison.Ordinal));
        if (last is null) return $"ffmpeg exited with code {result.ExitCode}";
        if (last.StartsWith('[') && last.IndexOf("] ", StringComparison.Ordinal) is > 0 and var end) last = last[(end + 2)..];
        foreach (var prefix in new[] { $"file:{sourcePath}: ", $"{sourcePath}: " })
            if (last.StartsWith(prefix, StringComparison.Ordinal)) last = last[prefix.Length..];
        last = last.Replace("file:" + sourcePath, "the recording", StringComparison.Ordinal).Replace(sourcePath, "the recording", StringComparison.Ordinal);
        return last.Length <= 200 ? last : last[..200];
    }

    static string Describe(TimeSpan limit) => limit.TotalSeconds % 60 == 0
        ? (limit.TotalMinutes == 1 ? "1 minute" : $"{limit.TotalMinutes.ToString("0", CultureInfo.InvariantCulture)} minutes")
        : $"{limit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} seconds";

    TranscriptionException Fail(FailureClass failureClass, string reason, Exception? inner = null)
    {
        TranscriptionLog.ConversionFailed(logger, failureClass, reason);
        return new TranscriptionException(failureClass, reason, inner: inner);
    }
}
