using Baton.Runner;
using Microsoft.Extensions.Hosting;

namespace Baton.Hosting;

/// <summary>
/// <c>baton runner --Runner:HostUrl=… --Runner:Token=…</c>: a standalone agent runner (ARCHITECTURE.md §2.3). It talks to
/// a host over HTTP only and reads nothing but the <c>Runner</c> section (from <c>local.settings.json</c>, the
/// environment and the command line), so it never needs database, Discord or Jira secrets. Runs until Ctrl+C/SIGTERM.
/// </summary>
public static class RunnerCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter error)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
        var localSettings = Path.Combine(Directory.GetCurrentDirectory(), LocalSettings.FileName);
        if (File.Exists(localSettings))
            builder.Configuration.AddInMemoryCollection(LocalSettings.Read(localSettings).Where(kv => kv.Key.StartsWith(RunnerOptions.SectionName + ":", StringComparison.OrdinalIgnoreCase)));
        builder.Configuration.AddEnvironmentVariables().AddCommandLine(args);

        var missing = new[] { "HostUrl", "Token" }.Where(key => string.IsNullOrWhiteSpace(builder.Configuration[$"{RunnerOptions.SectionName}:{key}"])).ToList();
        if (missing.Count > 0)
        {
            await error.WriteLineAsync($"baton runner: set {string.Join(" and ", missing.Select(k => $"Runner__{k}"))} (the host's URL and one of its Runner__Tokens__N).");
            return HostCommandLine.UsageError;
        }

        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Services.AddBatonRunner().AddHttpRunnerConnection();
        using var host = builder.Build();
        await host.RunAsync();
        return 0;
    }
}
