using System.Text.Json;
using Json.Schema;

namespace Baton.Orchestrations;

/// <summary>Where a model's JSON answer breaks its schema, as short lines the model can be told ("/issues/0/priority: …").
/// The schema is sent as Ollama's <c>format</c> and checked again here, because a model may still answer something else.</summary>
public static class SchemaCheck
{
    public static IReadOnlyList<string> Errors(JsonSchema schema, JsonElement answer, string whenUnexplained)
    {
        var results = schema.Evaluate(answer, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid) return [];
        var errors = (results.Details ?? []).Append(results)
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{(d.InstanceLocation.ToString() is { Length: > 0 } at ? at : "/")}: {e.Value}"))
            .Distinct()
            .Take(20)
            .ToList();
        return errors.Count > 0 ? errors : [whenUnexplained];
    }

    /// <summary>Parses <paramref name="answer"/> as JSON; null with the reason when it is not.</summary>
    public static (JsonElement? Root, string? Error) Parse(string answer)
    {
        try
        {
            using var document = JsonDocument.Parse(answer);
            return (document.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return (null, $"The answer is not JSON: {e.Message}");
        }
    }
}
