using System.Text.Json.Nodes;
using Baton.Orchestrations.Voice;

namespace Baton.Tests.Voice;

/// <summary>Intents as a model would answer them, and the settings they are checked with, written by the tests.</summary>
public static class VoiceIntents
{
    public static readonly VoiceSettings Settings = new(
        [new VoiceProject("SHOP", ["acme/shop"]), new VoiceProject("OPS", [])], DefaultProject: null, MinConfidence: 0.7,
        MaxClarificationRounds: 2, AutoDispatch: true);

    public static string Json(
        string project = "SHOP", string summary = "Add a dark mode toggle to the settings page", double confidence = 0.9,
        string[]? questions = null, string priority = "high", string issueType = "Story") => new JsonObject
    {
        ["project"] = project,
        ["issue_type"] = issueType,
        ["priority"] = priority,
        ["summary"] = summary,
        ["description"] = "People working at night want a darker settings page.",
        ["acceptance_criteria"] = new JsonArray("A toggle on the settings page switches the theme", "The choice is remembered"),
        ["confidence"] = confidence,
        ["questions"] = new JsonArray([.. (questions ?? []).Select(q => (JsonNode)q)]),
    }.ToJsonString();

    public static string Clear => Json();

    public static string Vague => Json(summary: "Make it better", confidence: 0.3, questions: ["What should be better?", "Which page?"]);
}
