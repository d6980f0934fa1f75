using System.Text.Json;
using Json.Schema;

namespace Baton.Orchestrations.Features;

/// <summary>
/// The JSON schema a plan must follow: sent to Ollama as the chat's <c>format</c> (structured outputs) and checked again
/// with JsonSchema.Net on the answer, because a model may still answer something else.
/// </summary>
public static class FeaturePlanSchema
{
    /// <summary>The most issues a plan may have.</summary>
    public const int MaxIssues = 25;

    public const string Text = """
        {
          "type": "object",
          "additionalProperties": false,
          "required": ["issues"],
          "properties": {
            "issues": {
              "type": "array",
              "minItems": 1,
              "maxItems": 25,
              "items": {
                "type": "object",
                "additionalProperties": false,
                "required": ["id", "title", "body", "acceptance_criteria", "priority", "depends_on", "repository"],
                "properties": {
                  "id": { "type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,39}$" },
                  "title": { "type": "string", "minLength": 3, "maxLength": 200 },
                  "body": { "type": "string", "minLength": 1, "maxLength": 8000 },
                  "acceptance_criteria": { "type": "array", "minItems": 1, "maxItems": 20, "items": { "type": "string", "minLength": 1, "maxLength": 500 } },
                  "priority": { "enum": ["critical", "high", "normal"] },
                  "depends_on": { "type": "array", "maxItems": 25, "items": { "type": "string" } },
                  "repository": { "type": "string", "pattern": "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$" }
                }
              }
            }
          }
        }
        """;

    static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(Text));

    /// <summary>The schema as JSON, for Ollama's <c>format</c>.</summary>
    public static JsonElement Element { get; } = JsonDocument.Parse(Text).RootElement.Clone();

    /// <summary>Where <paramref name="answer"/> breaks the schema, as short lines for the model ("/issues/0/priority: …").</summary>
    public static IReadOnlyList<string> Check(JsonElement answer) =>
        SchemaCheck.Errors(Schema.Value, answer, "The answer does not follow the plan's JSON schema.");
}
