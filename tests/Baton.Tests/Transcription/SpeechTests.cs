using Baton.Activities.Transcription;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Transcription;

/// <summary>The recordings <see cref="Speech"/> makes for everyone's tests are what they say they are, by their bytes.</summary>
public sealed class SpeechTests
{
    public static TheoryData<string> Formats => [.. Speech.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task As_IsRecognisedAsThatFormat(string format) =>
        Assert.Equal(format, await AudioFormats.DetectAsync(Speech.As(format), CancellationToken.None));

    [Fact]
    public async Task BrokenFiles_AreBrokenAsDescribed()
    {
        Assert.Equal(AudioFormats.M4a, await AudioFormats.DetectAsync(Speech.Truncated, CancellationToken.None));
        Assert.Equal(new FileInfo(Speech.As("m4a")).Length / 2, new FileInfo(Speech.Truncated).Length);
        Assert.EndsWith(".wav", Speech.NotAudio, StringComparison.Ordinal);
        Assert.Null(await AudioFormats.DetectAsync(Speech.NotAudio, CancellationToken.None));
    }

    [Fact]
    public void Wavs_HaveTheirAdvertisedFormats()
    {
        Assert.Equal((48_000, 1, 16), Format(Speech.Microphone48k));
        Assert.True(WavHeader.TryRead(Speech.Wav16k)!.IsWhisperReady);
        Assert.True(WavHeader.TryRead(Speech.Silence.Path)!.IsWhisperReady);
        Assert.True(WavHeader.TryRead(Speech.Noise.Path)!.IsWhisperReady);
    }

    [Fact]
    public void Speech_TakesAsLongAsItsWords()
    {
        // espeak-ng at 150 words a minute: about 0.4 s a word, with a little silence around.
        foreach (var spoken in Speech.Requests.Append(Speech.Ambiguous))
        {
            var words = spoken.Words.Split(' ').Length;
            Assert.InRange(WavHeader.TryRead(spoken.Path)!.Duration.TotalSeconds, words * 0.2, words * 0.6 + 1);
        }
        Assert.Equal(Speech.RequestTexts, Speech.Requests.Select(r => r.Words));
        Assert.Equal(Speech.Requests[0], Speech.Clear);
    }

    static (int, int, int) Format(string path) => WavHeader.TryRead(path) is { } wav ? (wav.SampleRate, wav.Channels, wav.BitsPerSample) : default;
}
