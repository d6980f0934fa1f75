using System.Buffers.Binary;
using System.Text;
using Baton.Activities.Transcription;

namespace Baton.Tests.Transcription;

/// <summary>The WAV header reader: chunks before the data, WAVE_FORMAT_EXTENSIBLE, a streamed size, and what is not WAV.</summary>
public sealed class WavHeaderTests
{
    [Fact]
    public void TryRead_SkipsChunksBeforeTheData()
    {
        var wav = Wav(format: 1, channels: 1, rate: 16_000, bits: 16, dataBytes: 32_000, extraChunk: "LIST");

        var header = WavHeader.TryRead(new MemoryStream(wav))!;

        Assert.Equal((1, 1, 16_000, 16, 32_000L), (header.FormatTag, header.Channels, header.SampleRate, header.BitsPerSample, header.DataLength));
        Assert.Equal(TimeSpan.FromSeconds(1), header.Duration);
        Assert.True(header is { IsWhisperReady: true, IsComplete: true });
        Assert.Equal(12 + 8 + 16 + 8 + 6 + 8, header.DataOffset);
    }

    [Fact]
    public void TryRead_Extensible_ReportsTheSubFormat()
    {
        var header = WavHeader.TryRead(new MemoryStream(Wav(format: 0xFFFE, channels: 2, rate: 48_000, bits: 16, dataBytes: 19_200)))!;

        Assert.Equal(1, header.FormatTag);
        Assert.False(header.IsWhisperReady);
        Assert.Equal(0.1, header.Duration.TotalSeconds, 6);
    }

    [Fact]
    public void TryRead_DataCut_IsNotComplete()
    {
        var wav = Wav(format: 1, channels: 1, rate: 16_000, bits: 16, dataBytes: 32_000);

        var header = WavHeader.TryRead(new MemoryStream(wav[..^100]))!;

        Assert.False(header.IsComplete);
    }

    [Fact]
    public void TryRead_StreamedSize_RunsToTheEndOfTheFile()
    {
        var wav = Wav(format: 1, channels: 1, rate: 16_000, bits: 16, dataBytes: 3_200);
        BinaryPrimitives.WriteUInt32LittleEndian(wav.AsSpan(40), uint.MaxValue);

        var header = WavHeader.TryRead(new MemoryStream(wav))!;

        Assert.Equal(3_200, header.DataLength);
        Assert.True(header.IsComplete);
    }

    [Theory]
    [InlineData("")]
    [InlineData("RIFF")]
    [InlineData("This is a text file, whatever its name says.")]
    public void TryRead_NotAWav_IsNull(string text) =>
        Assert.Null(WavHeader.TryRead(new MemoryStream(Encoding.ASCII.GetBytes(text))));

    [Fact]
    public void TryRead_MissingFile_IsNull() => Assert.Null(WavHeader.TryRead(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "none.wav")));

    static byte[] Wav(int format, int channels, int rate, int bits, int dataBytes, string? extraChunk = null)
    {
        var fmtSize = format == 0xFFFE ? 40 : 16;
        using var stream = new MemoryStream();
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(0);
        writer.Write("WAVE"u8);
        writer.Write("fmt "u8);
        writer.Write(fmtSize);
        writer.Write((ushort)format);
        writer.Write((ushort)channels);
        writer.Write(rate);
        writer.Write(rate * channels * bits / 8);
        writer.Write((ushort)(channels * bits / 8));
        writer.Write((ushort)bits);
        if (format == 0xFFFE)
        {
            writer.Write((ushort)22);
            writer.Write((ushort)bits);
            writer.Write(3);
            writer.Write((ushort)1); // KSDATAFORMAT_SUBTYPE_PCM starts 0x0001
            writer.Write(new byte[14]);
        }
        if (extraChunk is not null)
        {
            writer.Write(Encoding.ASCII.GetBytes(extraChunk));
            writer.Write(5);
            writer.Write(new byte[6]); // 5 bytes and the pad byte
        }
        writer.Write("data"u8);
        writer.Write(dataBytes);
        writer.Write(new byte[dataBytes]);
        writer.Flush();
        var bytes = stream.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(bytes.Length - 8));
        return bytes;
    }
}
