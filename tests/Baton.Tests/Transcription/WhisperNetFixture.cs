namespace Baton.Tests.Transcription;

/// <summary>
/// Files the Whisper.net tests share, made once per run in a temp folder: the tiny random-weight model, malformed
/// copies of it, and real speech from espeak-ng converted by ffmpeg (both installed here).
/// </summary>
public sealed class WhisperNetFixture : IAsyncLifetime
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "baton-whisper-net-" + Guid.NewGuid().ToString("N")[..8]);

    public string Model => Path.Combine(Directory, "ggml-tiny-random.bin");

    /// <summary>The model cut after its hyper-parameters: whisper.cpp loads it as an empty model, then aborts (SIGABRT)
    /// when it decodes.</summary>
    public string TruncatedModel => Path.Combine(Directory, "ggml-truncated.bin");

    /// <summary>Random bytes: whisper.cpp refuses the magic and the load fails cleanly.</summary>
    public string RandomBytesModel => Path.Combine(Directory, "ggml-random-bytes.bin");

    /// <summary>About three seconds of speech, 16 kHz mono s16 PCM.</summary>
    public string Speech => Path.Combine(Directory, "speech.wav");

    /// <summary>The same speech as espeak-ng wrote it: a WAV, but at 22.05 kHz.</summary>
    public string Speech22k => Path.Combine(Directory, "speech-22k.wav");

    /// <summary>Five minutes of speech (the clip looped): ten 30-second windows to decode.</summary>
    public string LongSpeech => Path.Combine(Directory, "speech-long.wav");

    public async Task InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(Directory);
        WhisperNetTinyModel.Write(Model);
        var model = await File.ReadAllBytesAsync(Model);
        await File.WriteAllBytesAsync(TruncatedModel, model[..1024]);
        await File.WriteAllBytesAsync(RandomBytesModel, RandomBytes(4096));

        await RunAsync("espeak-ng", "-w", Speech22k, "Please add a dark mode toggle to the settings page.");
        await RunAsync("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", Speech22k, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", Speech);
        await RunAsync("ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", Speech, "-t", "300", "-c:a", "pcm_s16le", LongSpeech);
    }

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    /// <summary>The duration a 16-bit mono WAV's header declares: the data chunk's size over 2 bytes × its sample rate,
    /// read independently of Whisper.net's parser.</summary>
    public static double DeclaredSeconds(string wavPath)
    {
        var bytes = File.ReadAllBytes(wavPath);
        var sampleRate = 0;
        for (var at = 12; at + 8 <= bytes.Length;)
        {
            var id = System.Text.Encoding.ASCII.GetString(bytes, at, 4);
            var size = BitConverter.ToInt32(bytes, at + 4);
            if (id == "fmt ") sampleRate = BitConverter.ToInt32(bytes, at + 12);
            if (id == "data") return size / 2.0 / sampleRate;
            at += 8 + size + (size & 1);
        }
        throw new InvalidDataException($"{wavPath} has no data chunk.");
    }

    static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        return bytes;
    }

    static Task RunAsync(string program, params string[] arguments) => Task.Run(() => Baton.Tests.Infrastructure.Speech.Run(program, arguments));
}
