using System.Text.Json;

namespace Baton.Tests.GitHub;

/// <summary>One recorded exchange of an octokit/fixtures scenario: what was asked and what api.github.com answered.</summary>
public sealed record RecordedExchange(string Method, string PathAndQuery, int Status, IReadOnlyDictionary<string, string> Headers, string Body);

/// <summary>
/// Reads the recorded GitHub REST responses in place from <c>../shared/fixtures/github/rest</c> (relative to the
/// repository root): octokit/fixtures scenarios under <c>recorded/</c>, and GitHub's documented examples per operation.
/// Only conformance tests (<see cref="Infrastructure.ConformanceFactAttribute"/>) read them; the core tests use
/// <see cref="RestPayloads"/>.
/// </summary>
public static class GitHubFixtures
{
    public static readonly string RestFolder = Path.Combine(Infrastructure.SharedFixtures.Root, "github", "rest");

    /// <summary>The exchanges of <c>recorded/{scenario}.normalized-fixture.json</c>, in order.</summary>
    public static IReadOnlyList<RecordedExchange> Recorded(string scenario)
    {
        using var document = Read(Path.Combine("recorded", $"{scenario}.normalized-fixture.json"));
        return document.RootElement.EnumerateArray().Select(exchange => new RecordedExchange(
            exchange.GetProperty("method").GetString()!.ToUpperInvariant(),
            exchange.GetProperty("path").GetString()!,
            exchange.GetProperty("status").GetInt32(),
            exchange.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            exchange.GetProperty("response") is { ValueKind: JsonValueKind.String } text ? text.GetString()! : exchange.GetProperty("response").GetRawText()))
            .ToList();
    }

    /// <summary>The first documented example body of an operation's response, e.g. <c>("issues/get.json", 200)</c>.</summary>
    public static string Example(string operationFile, int status)
    {
        using var document = Read(operationFile);
        var examples = document.RootElement.GetProperty("responses").GetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .GetProperty("content").GetProperty("application/json").GetProperty("examples");
        return examples.EnumerateObject().First().Value.GetProperty("value").GetRawText();
    }

    /// <summary>The first item of a documented list example (issues/get.json's own example is an unresolved $ref).</summary>
    public static string FirstExampleItem(string operationFile, int status)
    {
        using var document = JsonDocument.Parse(Example(operationFile, status));
        return document.RootElement[0].GetRawText();
    }

    /// <summary>A named entry of <c>rate-limits.json</c> (real rate-limit answers and the documented rules).</summary>
    public static JsonElement RateLimit(string name)
    {
        using var document = Read("rate-limits.json");
        return document.RootElement.GetProperty(name).Clone();
    }

    static JsonDocument Read(string relativePath) => JsonDocument.Parse(File.ReadAllText(Path.Combine(RestFolder, relativePath)));
}
