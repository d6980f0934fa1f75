using System.Buffers.Binary;

namespace Baton.Activities.Transcription;

/// <summary>
/// The format and extent of a RIFF/WAVE file, read from its chunk headers (never the samples). Whisper wants
/// <see cref="IsWhisperReady"/> audio: 16 kHz, mono, 16-bit PCM.
/// </summary>
/// <param name="FormatTag">1 for PCM (a WAVE_FORMAT_EXTENSIBLE header reports its sub-format's tag).</param>
/// <param name="DataOffset">Where the samples start.</param>
/// <param name="DataLength">The byte count the <c>data</c> chunk declares.</param>
/// <param name="FileLength">The bytes actually there.</param>
public sealed record WavHeader(int FormatTag, int Channels, int SampleRate, int BitsPerSample, long DataOffset, long DataLength, long FileLength)
{
    public const int WhisperSampleRate = 16_000;

    const int PcmTag = 1;
    const int ExtensibleTag = 0xFFFE;

    /// <summary>The format Whisper (and every provider Baton calls) is given.</summary>
    public bool IsWhisperReady => FormatTag == PcmTag && Channels == 1 && SampleRate == WhisperSampleRate && BitsPerSample == 16;

    /// <summary>Every sample the header declares is in the file (a copy or a conversion that stopped half way is not).</summary>
    public bool IsComplete => DataOffset + DataLength <= FileLength;

    /// <summary>How long the declared samples play.</summary>
    public TimeSpan Duration
    {
        get
        {
            var bytesPerSecond = (long)SampleRate * Channels * (BitsPerSample / 8);
            return bytesPerSecond <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds((double)DataLength / bytesPerSecond);
        }
    }

    /// <summary>The header of the file at <paramref name="path"/>, or null when it is missing or not a WAVE file.</summary>
    public static WavHeader? TryRead(string path)
    {
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return TryRead(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The header of a WAVE file in a seekable <paramref name="stream"/> (read from its current position to the
    /// data chunk), or null when it is not one.</summary>
    public static WavHeader? TryRead(Stream stream)
    {
        var start = stream.Position;
        var length = stream.Length - start;
        Span<byte> riff = stackalloc byte[12];
        if (stream.ReadAtLeast(riff, 12, throwOnEndOfStream: false) < 12) return null;
        if (!(riff[..4].SequenceEqual("RIFF"u8) || riff[..4].SequenceEqual("RF64"u8)) || !riff[8..12].SequenceEqual("WAVE"u8)) return null;

        (int Tag, int Channels, int Rate, int Bits)? format = null;
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> fmt = stackalloc byte[40];
        while (stream.ReadAtLeast(chunk, 8, throwOnEndOfStream: false) == 8)
        {
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            var bodyStart = stream.Position;
            if (chunk[..4].SequenceEqual("fmt "u8))
            {
                if (size < 16) return null;
                var read = stream.ReadAtLeast(fmt[..(int)Math.Min(size, 40)], (int)Math.Min(size, 40), throwOnEndOfStream: false);
                if (read < 16) return null;
                var tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt);
                // WAVE_FORMAT_EXTENSIBLE names the real format in the first two bytes of its sub-format GUID.
                if (tag == ExtensibleTag && read >= 26) tag = BinaryPrimitives.ReadUInt16LittleEndian(fmt[24..]);
                format = (tag, BinaryPrimitives.ReadUInt16LittleEndian(fmt[2..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(fmt[4..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(fmt[14..]));
            }
            else if (chunk[..4].SequenceEqual("data"u8))
            {
                if (format is not { } f) return null;
                var offset = bodyStart - start;
                // A writer that could not seek back leaves the size at its maximum: the data runs to the end of the file.
                var dataLength = size == uint.MaxValue ? length - offset : size;
                return new WavHeader(f.Tag, f.Channels, f.Rate, f.Bits, offset, dataLength, length);
            }
            var next = bodyStart + size + (size & 1);
            if (next > start + length) return null;
            stream.Position = next;
        }
        return null;
    }
}
