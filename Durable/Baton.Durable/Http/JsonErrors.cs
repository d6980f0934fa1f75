using System.Text.Json;

namespace Baton.Durable.Http;

/// <summary>What a caller is told about JSON that could not be read.</summary>
public static class JsonErrors
{
    /// <summary>
    /// Where the JSON went wrong, without System.Text.Json's own words: those name the .NET type it was converting
    /// to (<c>Baton.Webhooks.GitHub.OtherGitHubEvent</c>, <c>System.Int32</c>), which is none of the caller's business.
    /// A <see cref="JsonException"/> thrown by our own parsing (no position) keeps its message.
    /// </summary>
    public static string Describe(JsonException exception)
    {
        if (exception.Path is null && exception.LineNumber is null) return exception.Message;
        var where = exception.Path is { Length: > 0 } path ? $" at {path}" : "";
        if (exception.LineNumber is { } line)
            where += $" (line {line + 1}, byte {exception.BytePositionInLine + 1})";
        return $"malformed, or a value of the wrong type{where}.";
    }
}
