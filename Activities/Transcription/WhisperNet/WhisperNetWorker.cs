using System.Diagnostics;
using Whisper.net;
using Whisper.net.Wave;
using static Baton.Activities.Transcription.WhisperNet.WhisperNetWorkerProtocol;

namespace Baton.Activities.Transcription.WhisperNet;

/// <summary>
/// The hidden <c>baton whisper-worker</c> verb: the child process <see cref="WhisperNetTranscriber"/> starts. It loads
/// the model with Whisper.net, transcribes one WAV and prints one JSON line. It runs apart from the host because
/// whisper.cpp aborts the whole process on some malformed models (STACK.md); here that costs one child.
/// </summary>
public static class WhisperNetWorker
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (!TryParse(args, out var model, out var wav, out var language, out var threads))
            return await FailAsync(error, WhisperNetWorkerExit.Usage,
                $"usage: baton {Verb} {Model} FILE {Wav} FILE [{Language} xx] [{Threads} N]");
        if (!File.Exists(model))
            return await FailAsync(error, WhisperNetWorkerExit.ModelMissing, $"the model {model} does not exist");
        if (!File.Exists(wav))
            return await FailAsync(error, WhisperNetWorkerExit.AudioMissing, $"the audio {wav} does not exist");
        try
        {
            // The audio first: refusing a wrong file must not depend on the model.
            float[] samples;
            double durationSeconds;
            await using (var stream = File.OpenRead(wav))
            {
                var wave = new WaveParser(stream);
                await wave.InitializeAsync();
                samples = await wave.GetAvgSamplesAsync();
                durationSeconds = wave.SamplesCount / (double)wave.SampleRate;
            }

            var started = Stopwatch.GetTimestamp();
            using var factory = WhisperFactory.FromPath(model);
            var builder = factory.CreateBuilder();
            var loaded = Stopwatch.GetElapsedTime(started);
            builder = string.IsNullOrWhiteSpace(language) || language == "auto" ? builder.WithLanguageDetection() : builder.WithLanguage(language);
            if (threads > 0) builder = builder.WithThreads(threads);
            await using var processor = builder.Build();

            var text = new System.Text.StringBuilder();
            string? heard = null;
            await foreach (var segment in processor.ProcessAsync(samples))
            {
                text.Append(segment.Text);
                heard ??= segment.Language;
            }
            var decoded = Stopwatch.GetElapsedTime(started) - loaded;
            await output.WriteLineAsync(Line(new WhisperNetWorkerResult(text.ToString().Trim(),
                heard ?? (string.IsNullOrWhiteSpace(language) || language == "auto" ? null : language), durationSeconds)));
            // Timings go to stderr, where the parent logs them at Debug; stdout carries only the result.
            await error.WriteLineAsync($"loaded in {loaded.TotalMilliseconds:F0} ms, decoded in {decoded.TotalMilliseconds:F0} ms");
            return WhisperNetWorkerExit.Success;
        }
        catch (Exception e) when (e is CorruptedWaveException or NotSupportedWaveException)
        {
            return await FailAsync(error, WhisperNetWorkerExit.AudioUnsupported, e.Message);
        }
        catch (WhisperModelLoadException e)
        {
            return await FailAsync(error, WhisperNetWorkerExit.ModelUnloadable, e.Message);
        }
        catch (Exception e)
        {
            // Everything else, including a native library that will not load: an unhandled exception would abort
            // with 134, which the parent reads as a malformed model.
            return await FailAsync(error, WhisperNetWorkerExit.Failed, $"{e.GetType().Name}: {e.Message}");
        }
    }

    static async Task<int> FailAsync(TextWriter error, int exitCode, string message)
    {
        await error.WriteLineAsync(Line(new WhisperNetWorkerError(message.ReplaceLineEndings(" "))));
        return exitCode;
    }

    static bool TryParse(string[] args, out string model, out string wav, out string? language, out int threads)
    {
        model = wav = "";
        language = null;
        threads = 0;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            var value = args[i + 1];
            switch (args[i])
            {
                case Model: model = value; break;
                case Wav: wav = value; break;
                case Language: language = value; break;
                case Threads when int.TryParse(value, out var n) && n >= 0: threads = n; break;
                default: return false;
            }
        }
        return args.Length % 2 == 0 && model.Length > 0 && wav.Length > 0;
    }
}
