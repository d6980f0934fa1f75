using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Baton.Activities.Jira;

/// <summary>
/// Atlassian Document Format, the rich text of REST v3: reading it as plain text (for the model and for people) and
/// writing plain paragraphs, links and bullet lists (for comments). Webhook payloads are REST v2, where the same fields
/// are wiki-markup strings; <see cref="ToText"/> takes both.
/// </summary>
public static class Adf
{
    /// <summary>Block nodes that end a line of text.</summary>
    static readonly HashSet<string> Blocks = ["paragraph", "heading", "codeBlock", "blockquote", "rule", "panel", "tableRow", "mediaSingle"];

    /// <summary>Plain text of an ADF document (or of a v2 string, returned as it is). Null or absent is empty.</summary>
    public static string ToText(JsonElement? document)
    {
        if (document is not { } element) return "";
        if (element.ValueKind == JsonValueKind.String) return element.GetString() ?? "";
        if (element.ValueKind != JsonValueKind.Object) return "";
        var text = new StringBuilder();
        Append(element, text, listDepth: 0);
        return text.ToString().Trim();
    }

    static void Append(JsonElement node, StringBuilder text, int listDepth)
    {
        var type = node.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        switch (type)
        {
            case "text":
                text.Append(node.TryGetProperty("text", out var value) ? value.GetString() : "");
                if (LinkOf(node) is { } href && !text.ToString().EndsWith(href, StringComparison.Ordinal)) text.Append(" (").Append(href).Append(')');
                return;
            case "hardBreak":
                text.Append('\n');
                return;
            case "mention" or "emoji" or "status":
                text.Append(Attribute(node, "text"));
                return;
            case "inlineCard" or "blockCard":
                text.Append(Attribute(node, "url"));
                return;
            case "listItem":
                text.Append(new string(' ', 2 * Math.Max(0, listDepth - 1))).Append("- ");
                break;
        }
        if (node.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
        {
            var depth = type is "bulletList" or "orderedList" ? listDepth + 1 : listDepth;
            foreach (var child in content.EnumerateArray()) Append(child, text, depth);
        }
        if (type is not null && (Blocks.Contains(type) || type == "listItem") && (text.Length == 0 || text[^1] != '\n')) text.Append('\n');
        if (type is "paragraph" or "heading" && listDepth == 0) text.Append('\n');
    }

    static string? LinkOf(JsonElement textNode)
    {
        if (!textNode.TryGetProperty("marks", out var marks) || marks.ValueKind != JsonValueKind.Array) return null;
        foreach (var mark in marks.EnumerateArray())
            if (mark.TryGetProperty("type", out var type) && type.GetString() == "link") return Attribute(mark, "href");
        return null;
    }

    static string Attribute(JsonElement node, string name) =>
        node.TryGetProperty("attrs", out var attrs) && attrs.ValueKind == JsonValueKind.Object
        && attrs.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString() ?? ""
            : "";

    /// <summary>A document of these blocks (<see cref="Paragraph"/>, <see cref="BulletList"/>).</summary>
    public static JsonObject Document(params IEnumerable<JsonNode> blocks) =>
        new() { ["type"] = "doc", ["version"] = 1, ["content"] = new JsonArray([.. blocks]) };

    /// <summary>Plain text as a document: a paragraph per blank-line-separated block, single newlines as hard breaks.</summary>
    public static JsonObject FromText(string text) => Document(Paragraphs(text));

    /// <summary>A paragraph per blank-line-separated block of <paramref name="text"/>.</summary>
    public static IEnumerable<JsonObject> Paragraphs(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(block => Paragraph(Lines(block)));

    /// <summary>A paragraph of inline nodes (<see cref="Text"/>, <see cref="Link"/>).</summary>
    public static JsonObject Paragraph(params IEnumerable<JsonNode> inline) =>
        new() { ["type"] = "paragraph", ["content"] = new JsonArray([.. inline]) };

    public static JsonObject Text(string text) => new() { ["type"] = "text", ["text"] = text };

    /// <summary>Text that links to <paramref name="href"/>.</summary>
    public static JsonObject Link(string text, string href) => new()
    {
        ["type"] = "text",
        ["text"] = text,
        ["marks"] = new JsonArray(new JsonObject { ["type"] = "link", ["attrs"] = new JsonObject { ["href"] = href } }),
    };

    /// <summary>A bullet list, each item one paragraph of inline nodes.</summary>
    public static JsonObject BulletList(IEnumerable<IEnumerable<JsonNode>> items) => new()
    {
        ["type"] = "bulletList",
        ["content"] = new JsonArray([.. items.Select(item => (JsonNode)new JsonObject
        {
            ["type"] = "listItem",
            ["content"] = new JsonArray(Paragraph(item)),
        })]),
    };

    /// <summary>A heading (<paramref name="level"/> 1–6).</summary>
    public static JsonObject Heading(int level, string text) => new()
    {
        ["type"] = "heading",
        ["attrs"] = new JsonObject { ["level"] = level },
        ["content"] = new JsonArray(Text(text)),
    };

    /// <summary>A quotation of <paramref name="text"/>, a paragraph per blank-line-separated block.</summary>
    public static JsonObject Quote(string text) => new() { ["type"] = "blockquote", ["content"] = new JsonArray([.. Paragraphs(text)]) };

    static IEnumerable<JsonNode> Lines(string block)
    {
        var lines = block.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) yield return new JsonObject { ["type"] = "hardBreak" };
            if (lines[i].Length > 0) yield return Text(lines[i]);
        }
    }
}
