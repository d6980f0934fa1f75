using System.Text.Json;

namespace Baton.Tests.Infrastructure;

/// <summary>Compares a payload written by hand with one recorded from the real service, for conformance tests.</summary>
public static class JsonShape
{
    /// <summary>Where <paramref name="own"/> has a member <paramref name="recorded"/> lacks, or one of another JSON
    /// kind (a null on either side matches anything; arrays compare their first items). Empty: ours is a faithful
    /// subset of the real thing.</summary>
    public static IReadOnlyList<string> Differences(string own, string recorded)
    {
        using var ownJson = JsonDocument.Parse(own);
        using var recordedJson = JsonDocument.Parse(recorded);
        var differences = new List<string>();
        Compare(ownJson.RootElement, recordedJson.RootElement, "$", differences);
        return differences;
    }

    static void Compare(JsonElement own, JsonElement recorded, string path, List<string> differences)
    {
        if (own.ValueKind == JsonValueKind.Null || recorded.ValueKind == JsonValueKind.Null) return;
        if (Kind(own) != Kind(recorded))
        {
            differences.Add($"{path}: ours is {own.ValueKind}, the recorded one is {recorded.ValueKind}");
            return;
        }
        if (own.ValueKind == JsonValueKind.Object)
        {
            foreach (var member in own.EnumerateObject())
            {
                if (recorded.TryGetProperty(member.Name, out var theirs)) Compare(member.Value, theirs, $"{path}.{member.Name}", differences);
                else differences.Add($"{path}.{member.Name}: the recorded one has no such member");
            }
        }
        else if (own.ValueKind == JsonValueKind.Array && own.GetArrayLength() > 0 && recorded.GetArrayLength() > 0)
        {
            Compare(own[0], recorded[0], path + "[0]", differences);
        }
    }

    static JsonValueKind Kind(JsonElement element) => element.ValueKind is JsonValueKind.False ? JsonValueKind.True : element.ValueKind;
}
