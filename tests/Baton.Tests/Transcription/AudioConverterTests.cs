using Baton.Activities.Transcription;
using Baton.Activities.Voice;
using Baton.Failures;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Baton.Tests.Transcription;

/// <summary>ffmpeg turns every accepted container into 16 kHz mono PCM WAV (read back from the header), and refuses what
/// a person must fix — a damaged file, something that is not audio, a recording too long — with a reason they can act
/// on, leaving no half-written file behind.</summary>
public sealed class AudioConverterTests : IDisposable
{
    readonly TranscriptionTestFolder folder = new();

    internal static AudioConverter Converter(TimeSpan? maxDuration = null, string ffmpeg = "ffmpeg", TimeSpan? timeout = null) =>
        new(Options.Create(new TranscriptionOptions { FfmpegPath = ffmpeg, Timeout = timeout ?? TimeSpan.FromMinutes(1) }),
            Options.Create(new VoiceOptions { MaxDuration = maxDuration ?? TimeSpan.FromMinutes(10) }),
            NullLogger<AudioConverter>.Instance);

    public void Dispose() => folder.Dispose();

    public static TheoryData<string> Formats => [.. Speech.Formats];

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Convert_EachAcceptedFormat_WritesA16kMonoPcmWavOfTheSameLength(string format)
    {
        var source = Speech.As(format);
        var spoken = WavHeader.TryRead(Speech.Clear.Path)!.Duration;

        var converted = await Converter().ConvertAsync(source, folder.File("v1.wav"), CancellationToken.None);

        var wav = WavHeader.TryRead(converted.WavPath);
        Assert.NotNull(wav);
        Assert.Equal((1, 1, 16_000, 16), (wav.FormatTag, wav.Channels, wav.SampleRate, wav.BitsPerSample));
        Assert.True(wav.IsComplete);
        Assert.Equal(44, wav.DataOffset);
        // Lossy codecs pad a few milliseconds (encoder delay, frame size); the speech is all there.
        Assert.InRange(wav.Duration.TotalSeconds, spoken.TotalSeconds - 0.1, spoken.TotalSeconds + 0.15);
        Assert.Equal(wav.Duration, converted.Duration);
        Assert.False(converted.Reused);
        Assert.Empty(folder.Partials);
    }

    [Fact]
    public async Task Convert_SilenceAndNoise_AreValidRecordings()
    {
        var silence = await Converter().ConvertAsync(Speech.Silence.Path, folder.File("silence.wav"), CancellationToken.None);
        var noise = await Converter().ConvertAsync(Speech.Noise.Path, folder.File("noise.wav"), CancellationToken.None);

        Assert.Equal(3.0, silence.Duration.TotalSeconds, 2);
        Assert.Equal(3.0, noise.Duration.TotalSeconds, 2);
        Assert.True(WavHeader.TryRead(noise.WavPath)!.IsWhisperReady);
    }

    [Fact]
    public async Task Convert_ATruncatedM4a_IsPermanentWithFfmpegsReason()
    {
        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            Converter().ConvertAsync(Speech.Truncated, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith("the recording could not be decoded: ", failure.Message, StringComparison.Ordinal);
        Assert.Equal("the recording could not be decoded: Invalid data found when processing input; it may be cut short or damaged: record or export it again", failure.Message);
        Assert.DoesNotContain(Speech.Directory, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("v1.wav")));
        Assert.Empty(folder.Partials);
    }

    [Theory]
    [InlineData("mp3")]
    [InlineData("webm")]
    [InlineData("wav")]
    public async Task Convert_ARecordingCutShort_IsPermanent(string format)
    {
        // Cut mid-frame: these containers decode up to the cut, and ffmpeg reports the damage.
        var cut = Speech.Cut(Speech.As(format), 0.5 + 1.0 / 4096, folder.File("uploads"));

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() => Converter().ConvertAsync(cut, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.StartsWith("the recording could not be decoded: ", failure.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.File("v1.wav")));
        Assert.EndsWith("; it may be cut short or damaged: record or export it again", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_TextNamedWav_IsRefusedByItsBytes()
    {
        var failure = await Assert.ThrowsAsync<TranscriptionException>(() => Converter().ConvertAsync(Speech.NotAudio, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains("not a recording Baton can read", failure.Message, StringComparison.Ordinal);
        Assert.Contains(AudioFormats.Accepted, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Convert_AVideoWithoutSound_SaysItHasNoAudioStream()
    {
        var video = folder.File("screen.mp4");
        await FfmpegAsync("-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=5", "-pix_fmt", "yuv420p", video);

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() => Converter().ConvertAsync(video, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal("the recording could not be decoded: it has no audio stream", failure.Message);
    }

    [Fact]
    public async Task Convert_LongerThanMaxDuration_IsPermanentAndLeavesNothing()
    {
        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            Converter(maxDuration: TimeSpan.FromSeconds(2)).ConvertAsync(Speech.As("ogg"), folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Equal("the recording is longer than 2 seconds; send a shorter one", failure.Message);
        Assert.False(File.Exists(folder.File("v1.wav")));
        Assert.Empty(folder.Partials);
    }

    [Fact]
    public async Task Convert_JustUnderMaxDuration_IsKept()
    {
        var spoken = WavHeader.TryRead(Speech.Clear.Path)!.Duration;

        var converted = await Converter(maxDuration: spoken + TimeSpan.FromMilliseconds(200)).ConvertAsync(Speech.Clear.Path, folder.File("v1.wav"), CancellationToken.None);

        Assert.Equal(spoken.TotalSeconds, converted.Duration.TotalSeconds, 2);
    }

    [Fact]
    public async Task Convert_WithoutFfmpeg_SaysHowToInstallIt()
    {
        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            Converter(ffmpeg: folder.File("no-such-ffmpeg")).ConvertAsync(Speech.Clear.Path, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains("ffmpeg is not installed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("apt-get install ffmpeg", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Convert_FfmpegThatNeverFinishes_IsATimeoutAndIsKilled()
    {
        // A stand-in ffmpeg that hangs: the time-out kills it and nothing is left behind.
        var pidFile = folder.File("ffmpeg.pid");
        var hanging = folder.File("hanging-ffmpeg");
        await File.WriteAllTextAsync(hanging, $"#!/bin/sh\necho $$ > '{pidFile}'\nexec sleep 300\n");
        File.SetUnixFileMode(hanging, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var failure = await Assert.ThrowsAsync<TranscriptionException>(() =>
            Converter(ffmpeg: hanging, timeout: TimeSpan.FromSeconds(2)).ConvertAsync(Speech.Clear.Path, folder.File("v1.wav"), CancellationToken.None));

        Assert.Equal(FailureClass.Timeout, failure.FailureClass);
        if (File.Exists(pidFile))
            Assert.False(Directory.Exists($"/proc/{(await File.ReadAllTextAsync(pidFile)).Trim()}"), "the hanging ffmpeg was not killed");
        Assert.False(File.Exists(folder.File("v1.wav")));
    }

    [Fact]
    public async Task EnsureWav_ReusesACompleteConversion_AndRedoesAHalfOne()
    {
        var wavPath = folder.File("v1.wav");
        var first = await Converter().EnsureWavAsync(Speech.As("mp3"), wavPath, CancellationToken.None);
        var again = await Converter(ffmpeg: folder.File("no-such-ffmpeg")).EnsureWavAsync(Speech.As("mp3"), wavPath, CancellationToken.None);
        var bytes = await File.ReadAllBytesAsync(wavPath);
        await File.WriteAllBytesAsync(wavPath, bytes[..(bytes.Length / 2)]);
        var redone = await Converter().EnsureWavAsync(Speech.As("mp3"), wavPath, CancellationToken.None);

        Assert.Equal((false, true, false), (first.Reused, again.Reused, redone.Reused));
        Assert.Equal(first.Duration, again.Duration);
        Assert.Equal(bytes, await File.ReadAllBytesAsync(wavPath));
    }

    [Fact]
    public async Task Convert_OntoItself_ReplacesTheUploadWithTheConversion()
    {
        var upload = Speech.CopyTo(Speech.Microphone48k, folder.Path, "v1.wav");

        var converted = await Converter().ConvertAsync(upload, upload, CancellationToken.None);

        Assert.Equal(upload, converted.WavPath);
        Assert.True(WavHeader.TryRead(upload)!.IsWhisperReady);
    }

    static async Task FfmpegAsync(params string[] arguments)
    {
        var result = await Baton.Runner.Processes.ProcessRunner.RunAsync(
            new("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. arguments], Path.GetTempPath()) { Timeout = TimeSpan.FromMinutes(1) },
            CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.StandardError);
    }
}
