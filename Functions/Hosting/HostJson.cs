using Microsoft.Extensions.Configuration;

namespace Baton.Hosting;

/// <summary>
/// Reads <c>host.json</c> the way an Azure Functions host would: <c>logging</c> configures logging, and
/// <c>extensions:durableTask</c> configures the engine (the <c>Durable</c> section). Durable Functions' own names
/// for engine settings are translated; any other key there is passed through under <c>Durable</c> unchanged,
/// and top-level sections (e.g. a future <c>conductor</c> schedule) keep their names.
/// </summary>
static class HostJson
{
    public const string FileName = "host.json";
    const string DurableTaskPrefix = "extensions:durableTask:";

    static readonly Dictionary<string, string> DurableFunctionsNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["maxConcurrentActivityFunctions"] = "MaxConcurrentActivities",
        ["maxConcurrentOrchestratorFunctions"] = "MaxConcurrentOrchestrations",
        ["maxQueuePollingInterval"] = "MaxPollingInterval",
    };

    /// <summary>The file's settings as configuration keys of this app.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON.</exception>
    public static Dictionary<string, string?> Read(string path)
    {
        IConfigurationRoot raw;
        try
        {
            raw = new ConfigurationBuilder().AddJsonFile(path, optional: false).Build();
        }
        catch (FormatException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.InnerException?.Message ?? e.Message}", e);
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in raw.AsEnumerable())
        {
            if (value is null || MapKey(key) is not { } mapped) continue;
            settings[mapped] = value;
        }
        return settings;
    }

    /// <summary>The app's key for a host.json key, or null for keys that only mean something to Azure Functions.</summary>
    internal static string? MapKey(string key)
    {
        if (key.Equals("version", StringComparison.OrdinalIgnoreCase)) return null;
        if (!key.StartsWith(DurableTaskPrefix, StringComparison.OrdinalIgnoreCase)) return key;

        var rest = key[DurableTaskPrefix.Length..];
        var separator = rest.IndexOf(':');
        var first = separator < 0 ? rest : rest[..separator];
        var tail = separator < 0 ? "" : rest[separator..];
        return "Durable:" + DurableFunctionsNames.GetValueOrDefault(first, first) + tail;
    }
}
