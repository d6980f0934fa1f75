using Baton.Activities.Transcription.WhisperNet;
using Baton.Hosting;

namespace Baton.Tests.Transcription;

/// <summary>
/// The <c>whisper-worker</c> verb's own contract (exit codes, one JSON line), on the paths that never reach native
/// code and so can run inside the test process; and what the parent hands the child.
/// </summary>
public sealed class WhisperNetWorkerTests(WhisperNetFixture files) : IClassFixture<WhisperNetFixture>
{
    [Fact]
    public async Task Run_MissingModel_ExitsModelMissingWithOneJsonErrorLine()
    {
        var (exit, output, error) = await RunAsync(WhisperNetWorkerProtocol.Verb, "--model", Path.Combine(files.Directory, "absent.bin"), "--wav", files.Speech);

        Assert.Equal(WhisperNetWorkerExit.ModelMissing, exit);
        Assert.Empty(output);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("absent.bin does not exist", WhisperNetWorkerProtocol.LastLine<WhisperNetWorkerError>(line)?.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_TextFileAsAudio_ExitsAudioUnsupported()
    {
        var text = Path.Combine(files.Directory, "not-audio.txt");
        await File.WriteAllTextAsync(text, "this is not a RIFF file, but it is long enough to have a header's worth of bytes in it");

        var (exit, output, error) = await RunAsync(WhisperNetWorkerProtocol.Verb, "--model", files.Model, "--wav", text);

        Assert.Equal(WhisperNetWorkerExit.AudioUnsupported, exit);
        Assert.Empty(output);
        Assert.NotNull(WhisperNetWorkerProtocol.LastLine<WhisperNetWorkerError>(error));
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--wav", "x.wav")]
    [InlineData("--model", "m.bin", "--wav", "x.wav", "--threads", "many")]
    [InlineData("--model", "m.bin", "--wav", "x.wav", "--speed", "2")]
    public async Task Run_BadCommandLine_ExitsUsage(params string[] arguments)
    {
        var (exit, _, error) = await RunAsync([WhisperNetWorkerProtocol.Verb, .. arguments]);

        Assert.Equal(WhisperNetWorkerExit.Usage, exit);
        Assert.StartsWith("usage: baton whisper-worker", WhisperNetWorkerProtocol.LastLine<WhisperNetWorkerError>(error)?.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_DoesNotListTheHiddenVerb()
    {
        var (exit, output, _) = await RunAsync("--help");

        Assert.Equal(0, exit);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.DoesNotContain(WhisperNetWorkerProtocol.Verb, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GitHub__Token", false)]
    [InlineData("Transcription__ApiKey", false)]
    [InlineData("Baton__ApiKeys__0", false)]
    [InlineData("ConnectionStrings__Durable", false)]
    [InlineData("PATH", true)]
    [InlineData("HOME", true)]
    [InlineData("DOTNET_ROOT", true)]
    public void Spec_InheritedEnvironment_KeepsOnlyWhatTheRuntimeNeeds(string variable, bool kept)
    {
        var spec = WhisperNetWorkerCommand.Spec(files.Model, files.Speech, "en", 1, TimeSpan.FromSeconds(5));

        Assert.NotNull(spec.RemoveInherited);
        Assert.Equal(kept, !spec.RemoveInherited(variable));
    }

    [Fact]
    public void Spec_UnderTheTestHost_StartsThisBuildsBatonWithItsRuntimeConfig()
    {
        var spec = WhisperNetWorkerCommand.Spec(files.Model, files.Speech, "en", 2, TimeSpan.FromSeconds(5));
        var baton = typeof(WhisperNetWorker).Assembly.Location;

        // testhost is the entry assembly here, so the worker must be Baton's assembly run by the dotnet host.
        Assert.Equal("dotnet", Path.GetFileNameWithoutExtension(spec.FileName));
        Assert.True(File.Exists(spec.FileName), spec.FileName);
        Assert.Contains(baton, spec.Arguments);
        Assert.True(File.Exists(Path.ChangeExtension(baton, ".runtimeconfig.json")));
        Assert.True(File.Exists(Path.ChangeExtension(baton, ".deps.json")));
        Assert.Equal([WhisperNetWorkerProtocol.Verb, "--model", files.Model, "--wav", files.Speech, "--language", "en", "--threads", "2"],
            spec.Arguments.SkipWhile(a => a != WhisperNetWorkerProtocol.Verb));
        Assert.Equal(TimeSpan.FromSeconds(5), spec.Timeout);
    }

    static async Task<(int Exit, string Output, string Error)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await HostCommandLine.RunAsync(args, _ => throw new InvalidOperationException("the worker must not build the host"), output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
