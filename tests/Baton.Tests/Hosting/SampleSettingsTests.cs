using System.Reflection;
using Baton.Durable.Hosting;
using Baton.Hosting;
using Microsoft.Extensions.Configuration;

namespace Baton.Tests.Hosting;

/// <summary>local.settings.sample.json stays true: it lists every key the app reads, and nothing else.</summary>
public sealed class SampleSettingsTests
{
    /// <summary>Keys read outside the option classes checked below.</summary>
    static readonly string[] OtherKeys =
    [
        "ASPNETCORE_URLS",
        "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME",
        "Logging__LogLevel__Default", "Logging__Console__FormatterName",
    ];

    static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "local.settings.sample.json");

    [Fact]
    public void Sample_ListsEveryOptionKey()
    {
        var sample = SampleKeys();
        var expected = OptionKeys(typeof(DurableOptions), DurableOptions.SectionName)
            .Concat(OptionKeys(typeof(BatonOptions), BatonOptions.SectionName))
            .Concat(WebhookKeys())
            .Concat(OtherKeys);

        Assert.Equal([], expected.Where(k => !sample.Contains(k)).ToArray());
    }

    [Fact]
    public void Sample_ListsNoUnknownKey()
    {
        var known = OptionKeys(typeof(DurableOptions), DurableOptions.SectionName)
            .Concat(OptionKeys(typeof(BatonOptions), BatonOptions.SectionName))
            .Concat(WebhookKeys())
            .Concat(OtherKeys)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.Equal([], SampleKeys().Where(k => !known.Contains(k)).ToArray());
    }

    [Fact]
    public void Sample_CopiedAsIs_ChangesNoEngineDefault()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(LocalSettings.Read(SamplePath)).Build();

        var bound = configuration.GetSection(DurableOptions.SectionName).Get<DurableOptions>()!;

        var defaults = new DurableOptions();
        Assert.Equal(Values(defaults), Values(bound));
        Assert.Empty(configuration.GetSection(BatonOptions.SectionName).Get<BatonOptions>()?.ApiKeys ?? []);
    }

    // The webhook and REST client options share the "GitHub" section.
    static IEnumerable<string> WebhookKeys() =>
        OptionKeys(typeof(Baton.Webhooks.GitHub.GitHubWebhookOptions), Baton.Webhooks.GitHub.GitHubWebhookOptions.SectionName)
            .Concat(OptionKeys(typeof(Baton.Activities.GitHub.GitHubOptions), Baton.Activities.GitHub.GitHubOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Orchestrations.Conductor.ConductorOptions), Baton.Orchestrations.Conductor.ConductorOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Agents.PipelineOptions), Baton.Activities.Agents.PipelineOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Agents.RunnerHostOptions), Baton.Activities.Agents.RunnerHostOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Runner.RunnerOptions), Baton.Runner.RunnerOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Orchestrations.Pipeline.GateOptions), Baton.Orchestrations.Pipeline.GateOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Webhooks.Discord.DiscordInteractionOptions), Baton.Webhooks.Discord.DiscordInteractionOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Escalations.EscalationOptions), Baton.Activities.Escalations.EscalationOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Discord.DiscordOptions), Baton.Activities.Discord.DiscordOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Functions.Dashboard.DashboardOptions), Baton.Functions.Dashboard.DashboardOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Jira.JiraOptions), Baton.Activities.Jira.JiraOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Ollama.OllamaOptions), Baton.Activities.Ollama.OllamaOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Voice.VoiceOptions), Baton.Activities.Voice.VoiceOptions.SectionName))
            .Concat(OptionKeys(typeof(Baton.Activities.Transcription.TranscriptionOptions), Baton.Activities.Transcription.TranscriptionOptions.SectionName))
            .Distinct(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every option value by key (the per-process worker id excluded).</summary>
    static SortedDictionary<string, string?> Values(object options, string prefix = "")
    {
        var values = new SortedDictionary<string, string?>();
        foreach (var property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetValue(options);
            if (property.Name == nameof(DurableOptions.WorkerId)) continue;
            if (value is not null && property.PropertyType.IsClass && property.PropertyType != typeof(string))
                foreach (var (key, nested) in Values(value, prefix + property.Name + ":")) values[key] = nested;
            else
                values[prefix + property.Name] = value?.ToString();
        }
        return values;
    }

    /// <summary>The sample's keys in their written form, with list indexes (<c>__0</c>) folded to <c>__N</c>.</summary>
    static HashSet<string> SampleKeys()
    {
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(SamplePath));
        return document.RootElement.GetProperty("Values").EnumerateObject()
            .Select(p => p.Name)
            .Where(name => !name.StartsWith('_'))
            .Select(name => System.Text.RegularExpressions.Regex.Replace(name, @"__\d+(__|$)", "__N$1"))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every settable leaf of an options class as a <c>Section__Key</c> name; lists as <c>__N</c>.</summary>
    static IEnumerable<string> OptionKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var key = $"{prefix}__{property.Name}";
            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                // Keyed by name: the sample shows the shape for one representative name (the runner's "command"
                // adapter, the "payments" gate, the "gate" escalation kind, the "PROJ" Jira project). A free-form string map (an agent's environment)
                // has no fixed keys.
                var value = propertyType.GetGenericArguments()[1];
                var name = key + "__" + property.Name switch { "Gates" => "payments", "Kinds" => "gate", "Projects" => "PROJ", _ => "command" };
                if (value == typeof(List<string>)) yield return name + "__N";
                else if (value != typeof(string)) foreach (var nested in OptionKeys(value, name)) yield return nested;
            }
            else if (propertyType.IsGenericType && propertyType.GetGenericTypeDefinition() == typeof(List<>))
            {
                var item = propertyType.GetGenericArguments()[0];
                if (item == typeof(string) || item.IsValueType) yield return key + "__N";
                else foreach (var nested in OptionKeys(item, key + "__N")) yield return nested;   // a list of objects
            }
            else if (propertyType.IsClass && propertyType != typeof(string) && propertyType != typeof(Uri))  // a Uri binds from one string
                foreach (var nested in OptionKeys(propertyType, key)) yield return nested;
            else if (property.CanWrite)
                yield return key;
        }
    }
}
