using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;

namespace Baton.Hosting;

/// <summary>
/// Creates the web application builder with configuration in Azure Functions' order (ARCHITECTURE.md §3.2):
/// host.json, then local.settings.json <c>Values</c>, then environment variables, then the command line —
/// later sources win. Without any URL setting the host listens on <see cref="DefaultUrl"/>, like Functions.
/// </summary>
public static class BatonHost
{
    public const string DefaultUrl = "http://localhost:7071";

    /// <exception cref="InvalidDataException">host.json or local.settings.json is malformed.</exception>
    public static WebApplicationBuilder CreateBuilder(HostSettings settings)
    {
        var contentRoot = Path.GetFullPath(settings.ContentRoot ?? Directory.GetCurrentDirectory());
        // Baton reads its configuration once. ASP.NET Core's default appsettings sources (removed below) would
        // otherwise watch the whole content root, where the SQLite store writes, and wake on every commit: a
        // quarter of webhook intake's throughput (docs/benchmarks.md).
        string[] hostArgs = [.. settings.Args, "--hostBuilder:reloadConfigOnChange=false"];
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = hostArgs, ContentRootPath = contentRoot });

        var configuration = builder.Configuration;
        configuration.Sources.Clear();
        if (FindHostJson(contentRoot) is { } hostJson)
            configuration.AddInMemoryCollection(HostJson.Read(hostJson));
        var localSettings = Path.Combine(contentRoot, LocalSettings.FileName);
        if (File.Exists(localSettings))
            configuration.AddInMemoryCollection(LocalSettings.Read(localSettings));
        // ASPNETCORE_URLS and friends keep working: prefixed variables are read without their prefix too.
        configuration.AddEnvironmentVariables("DOTNET_");
        configuration.AddEnvironmentVariables("ASPNETCORE_");
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(settings.Args);

        if (configuration["urls"] is null && configuration["http_ports"] is null && configuration["https_ports"] is null)
            configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
            {
                InitialData = [new("urls", DefaultUrl)],
            });
        return builder;
    }

    /// <summary>host.json next to the app's content, else the copy published with the binary.</summary>
    static string? FindHostJson(string contentRoot) =>
        new[] { contentRoot, AppContext.BaseDirectory }
            .Select(dir => Path.Combine(dir, HostJson.FileName))
            .FirstOrDefault(File.Exists);
}
