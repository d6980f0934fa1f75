using Baton.Tests.Infrastructure;

namespace Baton.Tests.Voice;

/// <summary>
/// Real speech for the voice entry-point tests, in the texts and containers they choose, made with espeak-ng and ffmpeg
/// through <see cref="Speech.Run"/> and cached per fixture (<see cref="Speech"/> has the fixed recordings).
/// </summary>
public sealed class VoiceWebAudio : IDisposable
{
    public const string Request = "Please add a dark mode to the dashboard settings page.";
    readonly string folder = Directory.CreateTempSubdirectory("baton-voice-audio-").FullName;

    /// <summary>A spoken WAV (espeak-ng's 22 kHz mono).</summary>
    public Task<string> SpeechWavAsync(string text = Request) => CachedAsync("speech-" + Hash(text) + ".wav",
        path => RunAsync("espeak-ng", "-w", path, text));

    /// <summary>The same speech converted with ffmpeg (<paramref name="extension"/>: webm, ogg, mp3, m4a, or wav at 48 kHz).</summary>
    public async Task<string> ConvertedAsync(string extension, string text = Request, params string[] options)
    {
        var source = await SpeechWavAsync(text);
        return await CachedAsync($"speech-{Hash(text)}-{Hash(string.Join(' ', options))}.{extension}",
            path => RunAsync("ffmpeg", [.. new[] { "-v", "error", "-y", "-i", source }, .. options, path]));
    }

    /// <summary>A 48 kHz mono WAV, what Chromium's fake microphone plays.</summary>
    public Task<string> MicrophoneWavAsync() => ConvertedAsync("wav", Request, "-ar", "48000", "-ac", "1");

    async Task<string> CachedAsync(string name, Func<string, Task> make)
    {
        var path = Path.Combine(folder, name);
        if (!File.Exists(path)) await make(path);
        Assert.True(new FileInfo(path).Length > 0, $"{name} was not made");
        return path;
    }

    static string Hash(string text) => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..12];

    static Task RunAsync(string executable, params string[] arguments) => Task.Run(() => Speech.Run(executable, arguments));

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
