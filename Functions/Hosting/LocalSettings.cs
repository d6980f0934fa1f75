using System.Text.Json;

namespace Baton.Hosting;

/// <summary>
/// Reads <c>local.settings.json</c> in Azure Functions' shape: <c>Values</c> holds flat keys with <c>__</c> for
/// nesting (<c>Durable__Provider</c>), <c>ConnectionStrings</c> holds named connection strings. An empty value
/// means "not set", and keys starting with <c>_</c> are comments. Azure Functions turns <c>Values</c> into
/// environment variables, so <c>ASPNETCORE_</c>/<c>DOTNET_</c> keys also count without their prefix, as
/// environment variables do (<c>ASPNETCORE_URLS</c> sets <c>urls</c>).
/// </summary>
static class LocalSettings
{
    public const string FileName = "local.settings.json";
    public const string SampleFileName = "local.settings.sample.json";

    static readonly string[] HostPrefixes = ["ASPNETCORE_", "DOTNET_"];

    static readonly JsonDocumentOptions ParseOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="InvalidDataException">The file is malformed or encrypted.</exception>
    public static Dictionary<string, string?> Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), ParseOptions);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{path} must hold a JSON object with a \"Values\" object.");
            if (root.TryGetProperty("IsEncrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
                throw new InvalidDataException($"{path} is encrypted; Baton reads only plain local.settings.json files.");

            var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            AddSection(path, root, "Values", prefix: "", settings);
            AddSection(path, root, "ConnectionStrings", prefix: "ConnectionStrings:", settings);
            return settings;
        }
    }

    static void AddSection(string path, JsonElement root, string section, string prefix, Dictionary<string, string?> settings)
    {
        if (!root.TryGetProperty(section, out var values)) return;
        if (values.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path}: \"{section}\" must be a JSON object.");

        foreach (var entry in values.EnumerateObject())
        {
            if (entry.Name.StartsWith('_')) continue;
            var value = entry.Value.ValueKind switch
            {
                JsonValueKind.String => entry.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => entry.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new InvalidDataException($"{path}: \"{section}:{entry.Name}\" must be a string, number or boolean."),
            };
            if (string.IsNullOrEmpty(value)) continue;
            var key = prefix + entry.Name.Replace("__", ":", StringComparison.Ordinal);
            settings[key] = value;
            if (HostPrefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.OrdinalIgnoreCase)) is { } hostPrefix)
                settings[key[hostPrefix.Length..]] = value;
        }
    }
}
