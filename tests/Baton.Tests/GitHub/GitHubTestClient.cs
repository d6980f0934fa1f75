using Baton.Activities.GitHub;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.GitHub;

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>The real <c>AddGitHub()</c> registration, pointed at a fake server, with fast retries and a manual clock.</summary>
public sealed class GitHubTestClient : IDisposable
{
    readonly ServiceProvider provider;

    public GitHubTestClient(FakeGitHubServer server, ManualClock? clock = null, params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = server.BaseAddress.ToString(),
            ["GitHub:Token"] = "ghp_test-token",
            ["GitHub:Retry:BaseDelay"] = "00:00:00.010",
        };
        foreach (var (key, value) in settings) values[key] = value;
        Clock = clock ?? new ManualClock(DateTimeOffset.UtcNow);

        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(Clock);
        services.AddGitHub();
        provider = services.BuildServiceProvider();
    }

    public ManualClock Clock { get; }

    /// <summary>A new typed client, as an activity would get one; credentials, ETag cache and counters are shared.</summary>
    public GitHubClient Client => provider.GetRequiredService<GitHubClient>();

    public GitHubCredentials Credentials => provider.GetRequiredService<GitHubCredentials>();

    public void Dispose() => provider.Dispose();
}
