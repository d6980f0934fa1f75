using Baton.Activities.Transcription;
using Baton.Demo.WhisperEmulator;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Transcription;

/// <summary>The real <c>AddTranscription()</c> registration pointed at a started <see cref="WhisperEmulator"/>, with every
/// log entry captured.</summary>
public sealed class TranscriptionHarness : IAsyncDisposable
{
    readonly ServiceProvider provider;

    TranscriptionHarness(WhisperEmulator emulator, ServiceProvider provider, LogCapture logs)
    {
        Emulator = emulator;
        this.provider = provider;
        Logs = logs;
    }

    public WhisperEmulator Emulator { get; }

    public LogCapture Logs { get; }

    public IServiceProvider Services => provider;

    /// <summary>The keyed provider <paramref name="name"/> (<c>OpenAI</c>, <c>WhisperCpp</c>), as TranscribeVoice resolves it.</summary>
    public ITranscriber Transcriber(string name) => provider.GetRequiredKeyedService<ITranscriber>(name);

    /// <param name="settings"><c>Transcription:…</c> and <c>Voice:…</c> keys on top of the provider and the emulator's address.</param>
    /// <param name="services">More registrations (a stand-in WhisperNet).</param>
    public static async Task<TranscriptionHarness> StartAsync(string providerName, IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var emulator = new WhisperEmulator();
        await emulator.StartAsync();
        var values = new Dictionary<string, string?>
        {
            ["Transcription:Provider"] = providerName,
            ["Transcription:BaseUrl"] = emulator.BaseUrl.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        var logs = new LogCapture();
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
        collection.AddTranscription();
        services?.Invoke(collection);
        return new TranscriptionHarness(emulator, collection.BuildServiceProvider(), logs);
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
