using System.Diagnostics;

namespace Baton.Tests.Infrastructure;

/// <summary>A recording made by <see cref="Speech"/>: its file and the words spoken in it (empty for silence and noise).</summary>
public sealed record SpokenFile(string Path, string Words);

/// <summary>
/// Real audio for tests, the browser's fake microphone and the demo, made once per test run in a temp folder: speech
/// synthesised by espeak-ng, silence and noise by sox, other containers by ffmpeg, plus broken files. The tools are
/// Debian's <c>espeak-ng</c>, <c>sox</c> and <c>ffmpeg</c> (scripts/test installs them); without them this fails saying
/// so, never skips.
/// </summary>
public static class Speech
{
    /// <summary>What the clear requests say (espeak-ng's default English voice).</summary>
    public static readonly IReadOnlyList<string> RequestTexts =
    [
        "Add a dark mode toggle to the settings page of the web app. High priority.",
        "Users should be able to export their invoices as PDF from the billing page.",
        "The login page is broken on mobile: the password field is hidden behind the keyboard. Please fix it this week.",
    ];

    public const string AmbiguousText = "Make it better.";

    /// <summary>The containers <see cref="As"/> makes (file extensions, as <c>AudioFormats</c> names them).</summary>
    public static readonly IReadOnlyList<string> Formats = ["wav", "mp3", "ogg", "webm", "m4a"];

    static readonly Lazy<Recordings> Made = new(Make, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The folder holding every file (deleted when the test process exits).</summary>
    public static string Directory => Made.Value.Root;

    /// <summary>The first clear request, as espeak-ng writes it (22.05 kHz mono 16-bit WAV).</summary>
    public static SpokenFile Clear => Made.Value.Requests[0];

    /// <summary>Every clear request, in the order of <see cref="RequestTexts"/>.</summary>
    public static IReadOnlyList<SpokenFile> Requests => Made.Value.Requests;

    /// <summary>"Make it better." — speech with no actionable request in it.</summary>
    public static SpokenFile Ambiguous => Made.Value.Ambiguous;

    /// <summary>Three seconds of digital silence (16 kHz mono WAV).</summary>
    public static SpokenFile Silence => Made.Value.Silence;

    /// <summary>Three seconds of white noise (16 kHz mono WAV).</summary>
    public static SpokenFile Noise => Made.Value.Noise;

    /// <summary>The clear request as M4A, cut in half: the recorder stopped before writing the index (moov), as a phone
    /// killed mid-recording leaves it.</summary>
    public static string Truncated => Made.Value.Truncated;

    /// <summary>A text file named <c>.wav</c>.</summary>
    public static string NotAudio => Made.Value.NotAudio;

    /// <summary>The clear request as a 48 kHz mono 16-bit WAV, what Chromium's <c>--use-file-for-fake-audio-capture</c> plays.</summary>
    public static string Microphone48k => Made.Value.Microphone48k;

    /// <summary>The clear request as 16 kHz mono 16-bit PCM WAV (what Whisper takes).</summary>
    public static string Wav16k => Made.Value.Wav16k;

    /// <summary>The clear request in <paramref name="format"/>: wav, mp3, ogg (Opus), webm (Opus) or m4a (AAC).</summary>
    public static string As(string format) =>
        Made.Value.Formats.TryGetValue(format, out var path) ? path : throw new ArgumentOutOfRangeException(nameof(format), format, $"one of {string.Join(", ", Formats)}");

    /// <summary>A copy of <paramref name="path"/> in a new folder of its own (under <paramref name="directory"/>), for a test
    /// that writes beside its upload.</summary>
    public static string CopyTo(string path, string directory, string? fileName = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var copy = System.IO.Path.Combine(directory, fileName ?? System.IO.Path.GetFileName(path));
        File.Copy(path, copy, overwrite: true);
        return copy;
    }

    /// <summary>The first <paramref name="fraction"/> of <paramref name="path"/>'s bytes, written beside it under a new name.</summary>
    public static string Cut(string path, double fraction, string directory)
    {
        var bytes = File.ReadAllBytes(path);
        System.IO.Directory.CreateDirectory(directory);
        var cut = System.IO.Path.Combine(directory, $"cut-{fraction:0.00}-{System.IO.Path.GetFileName(path)}");
        File.WriteAllBytes(cut, bytes[..(int)(bytes.Length * fraction)]);
        return cut;
    }

    sealed record Recordings(string Root, IReadOnlyList<SpokenFile> Requests, SpokenFile Ambiguous, SpokenFile Silence, SpokenFile Noise,
        string Truncated, string NotAudio, string Microphone48k, string Wav16k, IReadOnlyDictionary<string, string> Formats);

    static Recordings Make()
    {
        var root = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"baton-speech-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        System.IO.Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                System.IO.Directory.Delete(root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: it is a temp folder.
            }
        };
        string In(string name) => System.IO.Path.Combine(root, name);

        var requests = RequestTexts.Select((text, i) => Speak(text, In($"request-{i + 1}.wav"))).ToList();
        var ambiguous = Speak(AmbiguousText, In("ambiguous.wav"));
        Run("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", In("silence.wav"), "trim", "0", "3"]);
        Run("sox", ["-n", "-r", "16000", "-c", "1", "-b", "16", In("noise.wav"), "synth", "3", "whitenoise", "vol", "0.3"]);

        var clear = requests[0].Path;
        var formats = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["wav"] = clear };
        foreach (var (format, codec) in new[] { ("mp3", "libmp3lame"), ("ogg", "libopus"), ("webm", "libopus"), ("m4a", "aac") })
        {
            formats[format] = In($"request-1.{format}");
            Run("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", clear, "-c:a", codec, "-b:a", "48k", formats[format]]);
        }
        Run("sox", [clear, "-r", "48000", "-b", "16", "-c", "1", In("microphone-48k.wav")]);
        Run("sox", [clear, "-r", "16000", "-b", "16", "-c", "1", In("request-1-16k.wav")]);

        var m4a = File.ReadAllBytes(formats["m4a"]);
        File.WriteAllBytes(In("truncated.m4a"), m4a[..(m4a.Length / 2)]);
        File.WriteAllText(In("not-audio.wav"), "This is a text file, whatever its name says.\n");

        return new Recordings(root, requests, ambiguous, new SpokenFile(In("silence.wav"), ""), new SpokenFile(In("noise.wav"), ""),
            In("truncated.m4a"), In("not-audio.wav"), In("microphone-48k.wav"), In("request-1-16k.wav"), formats);
    }

    static SpokenFile Speak(string text, string path)
    {
        Run("espeak-ng", ["-v", "en-us", "-s", "150", "-w", path, text]);
        return new SpokenFile(path, text);
    }

    /// <summary>Runs one of the audio tools (espeak-ng, sox, ffmpeg) to completion, failing with its error output or with
    /// how to install it.</summary>
    public static void Run(string tool, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{tool} is not installed: scripts/test installs it (Debian: apt-get install ffmpeg espeak-ng sox).", e);
        }
        using (process)
        {
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish within a minute.");
            }
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"{tool} {string.Join(' ', arguments)} failed ({process.ExitCode}): {stderr.Result}");
        }
    }
}
