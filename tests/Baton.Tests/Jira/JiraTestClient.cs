using Baton.Activities.Jira;
using Baton.Demo.JiraEmulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Jira;

/// <summary>The real <c>AddJira()</c> registration pointed at a started <see cref="JiraEmulator"/>, with fast retries.</summary>
public sealed class JiraTestClient : IAsyncDisposable
{
    readonly ServiceProvider provider;

    JiraTestClient(JiraEmulator emulator, ServiceProvider provider)
    {
        Emulator = emulator;
        this.provider = provider;
    }

    public JiraEmulator Emulator { get; }

    public JiraClient Client => provider.GetRequiredService<JiraClient>();

    /// <param name="apiToken">The token the client sends (the emulator's own when null).</param>
    public static async Task<JiraTestClient> StartAsync(string? apiToken = null)
    {
        var emulator = new JiraEmulator();
        await emulator.StartAsync();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Jira:BaseUrl"] = emulator.BaseUrl.ToString(),
            ["Jira:Email"] = emulator.Email,
            ["Jira:ApiToken"] = apiToken ?? emulator.ApiToken,
            ["Jira:Retry:BaseDelay"] = "00:00:00.010",
        }).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddJira();
        return new JiraTestClient(emulator, services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
