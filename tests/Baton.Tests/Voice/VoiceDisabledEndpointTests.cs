using System.Net;
using Baton.Functions.Voice;
using Baton.Hosting;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Voice;

/// <summary>Without a transcription provider nothing could be heard: the feature is reported off and every voice route
/// answers 503 with a problem, storing nothing.</summary>
public sealed class VoiceDisabledEndpointTests : IAsyncLifetime
{
    BatonServer server = null!;

    public async Task InitializeAsync() => server = await BatonServer.StartAsync(new BatonServerOptions
    {
        Settings = new Dictionary<string, string> { ["Voice:ApiKeys:0"] = $"{VoiceWebHost.KeyName}:{VoiceWebHost.Key}" },
    });

    [Fact]
    public async Task Routes_NoTranscriptionProvider_Are503ProblemsAndFeatureOff()
    {
        var feature = server.Services.GetRequiredService<HostFeatures>().All.Single(f => f.Name == VoiceSetup.FeatureName);
        Assert.False(feature.Enabled);
        Assert.Contains("Transcription__Provider", feature.Detail, StringComparison.Ordinal);

        server.Http.DefaultRequestHeaders.Authorization = new("Bearer", VoiceWebHost.Key);
        using var upload = await server.Http.PostAsync(VoiceRoutes.Upload, new ByteArrayContent("RIFF0000WAVEfmt "u8.ToArray()));
        await ProblemAssert.IsProblemAsync(upload, HttpStatusCode.ServiceUnavailable);
        using var status = await server.Http.GetAsync(VoiceRoutes.Status("0123456789abcdef0123456789abcdef"));
        await ProblemAssert.IsProblemAsync(status, HttpStatusCode.ServiceUnavailable);
        Assert.False(Directory.Exists(Path.Combine(server.ContentRoot, ".baton", "voice")));
    }

    public async Task DisposeAsync() => await server.DisposeAsync();
}
