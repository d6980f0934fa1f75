using System.Text.Json;
using Baton.Activities.Jira;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Jira;

/// <summary>Atlassian Document Format read as text and written from text.</summary>
public sealed class AdfTests
{
    [Fact]
    public void ToText_ReadsParagraphsListsAndLinks()
    {
        var document = JsonDocument.Parse("""
            {"type":"doc","version":1,"content":[
              {"type":"heading","attrs":{"level":2},"content":[{"type":"text","text":"Goal"}]},
              {"type":"paragraph","content":[{"type":"text","text":"See "},{"type":"text","text":"the spec","marks":[{"type":"link","attrs":{"href":"https://example.com/spec"}}]},{"type":"hardBreak"},{"type":"text","text":"by "},{"type":"mention","attrs":{"id":"1","text":"@Ana"}}]},
              {"type":"bulletList","content":[
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"one"}]}]},
                {"type":"listItem","content":[{"type":"paragraph","content":[{"type":"text","text":"two"}]}]}]}]}
            """).RootElement;

        Assert.Equal("Goal\n\nSee the spec (https://example.com/spec)\nby @Ana\n\n- one\n- two", Adf.ToText(document));
    }

    [Fact]
    public void ToText_TakesV2WikiMarkupAsItIs()
    {
        var v2 = JsonDocument.Parse("\"h2. Goal\\n* one\"").RootElement;

        Assert.Equal("h2. Goal\n* one", Adf.ToText(v2));
        Assert.Equal("", Adf.ToText(null));
    }

    [Fact]
    public void FromText_RoundTrips()
    {
        var text = "First paragraph\nsecond line\n\nSecond paragraph";

        var document = JsonSerializer.SerializeToElement(Adf.FromText(text));

        Assert.Equal(text, Adf.ToText(document));
        Assert.Equal("doc", document.GetProperty("type").GetString());
        Assert.Equal(2, document.GetProperty("content").GetArrayLength());
    }

    [ConformanceFact]
    public void RecordedCommentBody_ReadsAsText()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFixtures.Root, "jira", "rest-v3", "addComment.json")));
        var body = fixture.RootElement.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("body");

        Assert.StartsWith("Lorem ipsum dolor sit amet", Adf.ToText(body), StringComparison.Ordinal);
    }

    [ConformanceFact]
    public void RecordedIssue_Deserializes()
    {
        using var fixture = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedFixtures.Root, "jira", "rest-v3", "getIssue.json")));
        var example = fixture.RootElement.GetProperty("responses").GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("example");

        var issue = example.Deserialize<JiraIssue>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal("ED-1", issue.Key);
        Assert.NotEmpty(issue.DescriptionText);
    }
}
