using System.Text.Json;
using Json.Schema;

namespace Baton.Orchestrations.Voice;

/// <summary>The JSON schema a spoken request's intent must follow: Ollama's <c>format</c>, checked again on the answer.</summary>
public static class VoiceIntentSchema
{
    public const string Text = """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["project", "issue_type", "priority", "summary", "description", "acceptance_criteria", "confidence", "questions"],
          "properties": {
            "project": { "type": "string", "maxLength": 40 },
            "issue_type": { "enum": ["Story", "Bug", "Task"] },
            "priority": { "enum": ["critical", "high", "normal"] },
            "summary": { "type": "string", "minLength": 3, "maxLength": 200 },
            "description": { "type": "string", "maxLength": 8000 },
            "acceptance_criteria": { "type": "array", "maxItems": 15, "items": { "type": "string", "minLength": 1, "maxLength": 500 } },
            "confidence": { "type": "number", "minimum": 0, "maximum": 1 },
            "questions": { "type": "array", "maxItems": 5, "items": { "type": "string", "minLength": 1, "maxLength": 300 } }
          }
        }
        """;

    static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(Text));

    /// <summary>The schema as JSON, for Ollama's <c>format</c>.</summary>
    public static JsonElement Element { get; } = JsonDocument.Parse(Text).RootElement.Clone();

    public static IReadOnlyList<string> Check(JsonElement answer) =>
        SchemaCheck.Errors(Schema.Value, answer, "The answer does not follow the intent's JSON schema.");
}
