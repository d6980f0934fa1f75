using System.Text;

namespace Baton.Activities.Transcription;

/// <summary>
/// Recognises the audio containers Baton takes by their first bytes, never by a declared type or a file name (a phone's
/// recorder, a browser's MediaRecorder and a person's upload all label audio differently, and a label can lie).
/// </summary>
public static class AudioFormats
{
    public const string Wav = "wav";
    public const string Mp3 = "mp3";
    public const string Ogg = "ogg";
    public const string WebM = "webm";
    public const string M4a = "m4a";

    /// <summary>How many leading bytes <see cref="Detect"/> needs to decide.</summary>
    public const int HeadLength = 64;

    /// <summary>The formats, for messages ("WAV, MP3, OGG/Opus, WebM/Opus or M4A").</summary>
    public const string Accepted = "WAV, MP3, OGG (Opus or Vorbis), WebM (Opus) or M4A";

    /// <summary>The container <paramref name="head"/> (the first up to <see cref="HeadLength"/> bytes) starts, or null
    /// when it is none of the accepted ones.</summary>
    public static string? Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 12 && (head[..4].SequenceEqual("RIFF"u8) || head[..4].SequenceEqual("RF64"u8)) && head[8..12].SequenceEqual("WAVE"u8))
            return Wav;
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
            return M4a;
        if (head.Length >= 4 && head[..4].SequenceEqual("OggS"u8) && (head.IndexOf("OpusHead"u8) >= 0 || head.IndexOf("\u0001vorbis"u8) >= 0))
            return Ogg;
        if (head.Length >= 4 && head[..4].SequenceEqual(new byte[] { 0x1A, 0x45, 0xDF, 0xA3 }) && (head.IndexOf("webm"u8) >= 0 || head.IndexOf("matroska"u8) >= 0))
            return WebM;
        if (head.Length >= 10 && head[..3].SequenceEqual("ID3"u8))
            return Mp3;
        if (head.Length >= 4 && IsMpegAudioFrame(head))
            return Mp3;
        return null;
    }

    /// <summary>An MPEG-1/2/2.5 Layer III frame header: sync, a valid version, layer III, a usable bitrate and sample rate.</summary>
    static bool IsMpegAudioFrame(ReadOnlySpan<byte> head)
    {
        if (head[0] != 0xFF || (head[1] & 0xE0) != 0xE0) return false;
        var version = (head[1] >> 3) & 0b11;
        var layer = (head[1] >> 1) & 0b11;
        var bitrate = head[2] >> 4;
        var sampleRate = (head[2] >> 2) & 0b11;
        return version != 0b01 && layer == 0b01 && bitrate is not (0 or 0xF) && sampleRate != 0b11;
    }

    /// <summary>The format of the file at <paramref name="path"/>, read from its first bytes.</summary>
    public static async Task<string?> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var head = new byte[HeadLength];
        await using var file = File.OpenRead(path);
        var read = await file.ReadAtLeastAsync(head, HeadLength, throwOnEndOfStream: false, cancellationToken);
        return Detect(head.AsSpan(0, read));
    }

    /// <summary>A short, printable description of bytes that were refused, for logs (never the bytes themselves).</summary>
    public static string Describe(ReadOnlySpan<byte> head) =>
        head.Length == 0 ? "an empty body" : $"{head.Length}+ bytes starting {Convert.ToHexString(head[..Math.Min(4, head.Length)])} ('{Printable(head[..Math.Min(4, head.Length)])}')";

    static string Printable(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes) text.Append(b is >= 0x20 and < 0x7F ? (char)b : '.');
        return text.ToString();
    }
}
