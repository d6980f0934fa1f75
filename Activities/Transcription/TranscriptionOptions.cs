using System.ComponentModel.DataAnnotations;

namespace Baton.Activities.Transcription;

/// <summary>How spoken requests are heard (<c>Transcription__…</c>, ARCHITECTURE.md §2.5). Without a provider, voice
/// uploads are refused (503) and the feature is reported off.</summary>
public sealed class TranscriptionOptions
{
    public const string SectionName = "Transcription";

    /// <summary><c>WhisperNet</c> (Whisper.net in a child process, with <see cref="ModelPath"/>), <c>OpenAI</c>
    /// (an OpenAI-compatible <c>/v1/audio/transcriptions</c> at <see cref="BaseUrl"/>: whisper.cpp's server, faster-whisper,
    /// LocalAI, OpenAI) or <c>WhisperCpp</c> (whisper.cpp's <c>/inference</c> at <see cref="BaseUrl"/>); empty: off.</summary>
    public string? Provider { get; set; }

    /// <summary>WhisperNet: the ggml model file (for example <c>ggml-base.en.bin</c>).</summary>
    public string? ModelPath { get; set; }

    /// <summary>OpenAI / WhisperCpp: the server's base address.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>OpenAI: the bearer key, if the server wants one. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>OpenAI: the model name the server expects.</summary>
    public string Model { get; set; } = "whisper-1";

    /// <summary>The spoken language (ISO 639-1, e.g. <c>en</c>); empty lets the provider detect it.</summary>
    public string? Language { get; set; }

    /// <summary>One transcription's time limit (HTTP call, or the child process, which is then killed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>WhisperNet: CPU threads for decoding (0: the provider's default).</summary>
    [Range(0, 64)]
    public int Threads { get; set; }

    /// <summary>The ffmpeg executable (Debian's package puts it on the PATH); ffprobe is looked up beside it.</summary>
    public string FfmpegPath { get; set; } = "ffmpeg";

    public const string WhisperNet = "WhisperNet";
    public const string OpenAI = "OpenAI";
    public const string WhisperCpp = "WhisperCpp";
}
