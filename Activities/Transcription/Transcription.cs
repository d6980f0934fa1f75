namespace Baton.Activities.Transcription;

/// <summary>What <see cref="TranscribeVoice"/> is asked: the stored upload of request <paramref name="VoiceId"/>.</summary>
public sealed record TranscriptionRequest(string VoiceId, string AudioPath);

/// <summary>What was heard. <paramref name="Text"/> is empty when nothing was said (silence, noise).</summary>
/// <param name="Provider">Which provider heard it (whisper-net, openai, whisper-cpp), for the logs and the dashboard.</param>
public sealed record Transcript(string Text, string? Language, double DurationSeconds, string Provider);

/// <summary>One way of turning 16 kHz mono PCM WAV into text (Transcription__Provider picks one).</summary>
public interface ITranscriber
{
    /// <summary>The provider's name as <see cref="Transcript.Provider"/> gives it.</summary>
    string Name { get; }

    /// <summary>Transcribes <paramref name="wavPath"/> (16 kHz, mono, 16-bit PCM). Throws a classified failure
    /// (<see cref="Baton.Failures.FailureClass"/>) when it cannot.</summary>
    Task<Transcript> TranscribeAsync(string wavPath, CancellationToken cancellationToken);
}
