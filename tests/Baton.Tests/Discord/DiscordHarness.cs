using Baton.Activities.Discord;
using Baton.Demo.DiscordEmulator;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Discord;

/// <summary>A started Discord emulator with a webhook, and the real <c>AddDiscord()</c> client pointed at it (bot token,
/// channel and webhook all configured). Logs are captured, to check that no token is ever written.</summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    readonly ServiceProvider provider;

    DiscordHarness(DiscordEmulator emulator, EmulatedWebhook webhook, IReadOnlyDictionary<string, string?> extra)
    {
        Emulator = emulator;
        Webhook = webhook;
        var values = new Dictionary<string, string?>
        {
            ["Discord:ApiUrl"] = emulator.ApiUrl.ToString(),
            ["Discord:BotToken"] = emulator.BotToken,
            ["Discord:ChannelId"] = emulator.ChannelId,
            ["Discord:ApplicationId"] = emulator.ApplicationId,
            ["Discord:WebhookUrl"] = webhook.Url.ToString(),
        };
        foreach (var (key, value) in extra) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        services.AddSingleton(TimeProvider.System);
        services.AddDiscord(configuration);
        provider = services.BuildServiceProvider();
    }

    public DiscordEmulator Emulator { get; }

    public EmulatedWebhook Webhook { get; }

    public DiscordWebhook ClientWebhook => new(Webhook.Id, Webhook.Token);

    public LogCapture Logs { get; } = new();

    public DiscordClient Client => provider.GetRequiredService<DiscordClient>();

    /// <param name="extra">More <c>Discord:…</c> settings (or null values to unset one).</param>
    public static async Task<DiscordHarness> StartAsync(IReadOnlyDictionary<string, string?>? extra = null)
    {
        var emulator = new DiscordEmulator();
        await emulator.StartAsync(port: 0);
        return new DiscordHarness(emulator, emulator.CreateWebhook(), extra ?? new Dictionary<string, string?>());
    }

    /// <summary>No captured log line and no text holds either token.</summary>
    public void AssertNoSecretIn(params string[] texts)
    {
        foreach (var text in texts.Concat(Logs.Entries.Select(e => e.Message + " " + e.Values)))
        {
            Assert.DoesNotContain(Emulator.BotToken, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Webhook.Token, text, StringComparison.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
