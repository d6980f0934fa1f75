using Baton.Failures;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Transcription;

/// <summary>
/// Hears a stored upload: converts it to <c>{its folder}/{VoiceId}.wav</c> (16 kHz mono PCM; a complete one from an
/// earlier attempt is reused, so a re-run converts nothing) and transcribes that with the provider
/// <see cref="TranscriptionOptions.Provider"/> names, registered as a keyed <see cref="ITranscriber"/>. Returns the
/// trimmed text (empty when nothing was said: the orchestration decides what silence means) and the recording's length.
/// Safe to repeat.
/// </summary>
public sealed class TranscribeVoice(AudioConverter converter, IServiceProvider services, IOptions<TranscriptionOptions> options, ILogger<TranscribeVoice> logger)
    : TaskActivity<TranscriptionRequest, Transcript>
{
    static readonly string[] Providers = [TranscriptionOptions.WhisperNet, TranscriptionOptions.OpenAI, TranscriptionOptions.WhisperCpp];

    public override async Task<Transcript> RunAsync(TaskActivityContext context, TranscriptionRequest request)
    {
        var transcriber = Transcriber(request.VoiceId);
        var wav = await converter.EnsureWavAsync(request.AudioPath, WavPath(request), CancellationToken.None);
        var heard = await transcriber.TranscribeAsync(wav.WavPath, CancellationToken.None);
        var text = heard.Text.Trim();
        TranscriptionLog.Transcribed(logger, request.VoiceId, transcriber.Name, text.Length, wav.Duration);
        return heard with { Text = text, DurationSeconds = wav.Duration.TotalSeconds };
    }

    /// <summary>The conversion's path: beside the upload, named for the request (so it is found again on a re-run).</summary>
    internal static string WavPath(TranscriptionRequest request)
    {
        var id = request.VoiceId;
        if (id.Length == 0 || id is "." or ".." || id.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || id.Contains('\\', StringComparison.Ordinal))
            throw new TranscriptionException(FailureClass.Permanent, $"'{id}' is not a voice request id");
        var directory = Path.GetDirectoryName(Path.GetFullPath(request.AudioPath))!;
        return Path.Combine(directory, id + ".wav");
    }

    ITranscriber Transcriber(string voiceId)
    {
        var configured = options.Value.Provider?.Trim();
        var name = Providers.FirstOrDefault(p => string.Equals(p, configured, StringComparison.OrdinalIgnoreCase));
        if (name is not null && services.GetKeyedService<ITranscriber>(name) is { } transcriber) return transcriber;
        var detail = string.IsNullOrEmpty(configured) ? "it is empty"
            : name is null ? $"'{configured}' is none of {string.Join(", ", Providers)}"
            : $"{name} is not available in this host";
        var reason = $"no transcription provider configured (Transcription__Provider): {detail}";
        TranscriptionLog.NoProvider(logger, voiceId, reason);
        throw new TranscriptionException(FailureClass.Permanent, reason);
    }
}
