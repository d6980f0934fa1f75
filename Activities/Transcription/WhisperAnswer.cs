using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Baton.Activities.Transcription;

/// <summary>What a Whisper server answered, whichever protocol and response format it used.</summary>
/// <param name="Language">As the server names it (<c>english</c> from verbose_json), or null when it did not say.</param>
public sealed partial record WhisperAnswer(string Text, string? Language, double? DurationSeconds)
{
    /// <summary>
    /// Reads a successful answer: <c>json</c> (<c>{"text": …}</c>, whisper.cpp may add <c>language</c>),
    /// <c>verbose_json</c> (OpenAI's and whisper.cpp's: text, language, duration, segments), <c>diarized_json</c>, an
    /// OpenAI event stream (<c>transcript.text.done</c>, else the deltas), or plain <c>text</c>.
    /// </summary>
    /// <exception cref="FormatException">When the body is JSON without a transcript in it.</exception>
    public static WhisperAnswer Parse(string body, string? contentType)
    {
        var trimmed = body.TrimStart();
        if (contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true || trimmed.StartsWith("data:", StringComparison.Ordinal))
            return ParseStream(body);
        if (trimmed.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                return ParseJson(document.RootElement);
            }
            catch (JsonException e)
            {
                throw new FormatException($"the answer is not valid JSON: {e.Message}", e);
            }
        }
        return new WhisperAnswer(body, null, null);
    }

    static WhisperAnswer ParseJson(JsonElement root)
    {
        string? text = root.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (text is null && root.TryGetProperty("segments", out var segments) && segments.ValueKind == JsonValueKind.Array)
            text = string.Concat(segments.EnumerateArray().Select(s => s.TryGetProperty("text", out var st) ? st.GetString() : null));
        if (text is null) throw new FormatException("the answer has no \"text\"");
        var language = root.TryGetProperty("language", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
        double? duration = root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDouble() : null;
        return new WhisperAnswer(text, string.IsNullOrWhiteSpace(language) ? null : language, duration);
    }

    static WhisperAnswer ParseStream(string body)
    {
        var deltas = new StringBuilder();
        foreach (var line in body.Split('\n'))
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal)) continue;
            var data = line[5..].Trim();
            if (data.Length == 0 || data == "[DONE]") continue;
            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var ty) ? ty.GetString() : null;
            if (type == "transcript.text.done" && root.TryGetProperty("text", out var done)) return new WhisperAnswer(done.GetString() ?? "", null, null);
            if (type == "transcript.text.delta" && root.TryGetProperty("delta", out var delta)) deltas.Append(delta.GetString());
        }
        return new WhisperAnswer(deltas.ToString(), null, null);
    }

    /// <summary>
    /// The transcript as one line of prose: whisper.cpp puts a space before and a newline after every segment, and marks
    /// a segment without speech <c>[BLANK_AUDIO]</c>; silence becomes the empty string.
    /// </summary>
    public static string Clean(string text) => Whitespace().Replace(BlankAudio().Replace(text, " "), " ").Trim();

    [GeneratedRegex(@"\[BLANK_AUDIO\]", RegexOptions.CultureInvariant)]
    private static partial Regex BlankAudio();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
