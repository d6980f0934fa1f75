using System.Text;

namespace Baton.Tests.Transcription;

/// <summary>
/// Makes JSON out of the examples vendors publish with parts cut out: lines that are only <c>...</c> are dropped, comment
/// and shell lines (<c>#</c>, <c>$</c>) before the JSON are skipped, trailing commas removed, and brackets an author left
/// open at a final cut are closed. Only for reading recorded fixtures in conformance tests.
/// </summary>
public static class ElidedJson
{
    public static string Repair(string text)
    {
        var lines = text.Split('\n')
            .SkipWhile(l => !l.TrimStart().StartsWith('{'))
            .Where(l => l.Trim() is not ("..." or "...,"));
        var json = string.Join('\n', lines);
        var output = new StringBuilder();
        var open = new Stack<char>();
        var inString = false;
        for (var i = 0; i < json.Length; i++)
        {
            var c = json[i];
            output.Append(c);
            if (inString)
            {
                if (c == '\\' && i + 1 < json.Length) output.Append(json[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            switch (c)
            {
                case '"': inString = true; break;
                case '{': open.Push('}'); break;
                case '[': open.Push(']'); break;
                case '}' or ']':
                    open.Pop();
                    RemoveTrailingComma(output, before: output.Length - 1);
                    break;
            }
        }
        while (open.Count > 0)
        {
            RemoveTrailingComma(output, before: output.Length);
            output.Append('\n').Append(open.Pop());
        }
        return output.ToString();
    }

    /// <summary>Removes a comma that is followed only by whitespace up to <paramref name="before"/>.</summary>
    static void RemoveTrailingComma(StringBuilder output, int before)
    {
        var i = before - 1;
        while (i >= 0 && char.IsWhiteSpace(output[i])) i--;
        if (i >= 0 && output[i] == ',') output.Remove(i, 1);
    }
}
