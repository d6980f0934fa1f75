using System.Globalization;
using System.Text;

namespace Baton.Durable.Http;

/// <summary>
/// Makes a value taken from a request nobody has authenticated yet (a header, a path) safe to put in a log line:
/// at most <see cref="MaxLength"/> characters of it, then "…", and every control or format character (terminal escape
/// codes, line breaks, bidirectional overrides) written as <c>\uXXXX</c>, so a caller can neither forge log lines,
/// drive the reader's terminal, nor make one request cost kilobytes of log.
/// </summary>
public static class UntrustedText
{
    public const int MaxLength = 100;

    public static string ForLog(string? value)
    {
        if (value is null) return "(none)";
        var shown = Math.Min(value.Length, MaxLength);
        if (shown == value.Length && IsPlain(value)) return value;

        var text = new StringBuilder(shown + 8);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            var pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < shown && char.IsLowSurrogate(value[i + 1]);
            if (pairedSurrogate)
            {
                text.Append(c).Append(value[++i]);
                continue;
            }
            if (MustEscape(c)) text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            else text.Append(c);
        }
        if (shown < value.Length) text.Append('…');
        return text.ToString();
    }

    static bool IsPlain(string value)
    {
        foreach (var c in value)
            if (MustEscape(c) || char.IsSurrogate(c)) return false;
        return true;
    }

    static bool MustEscape(char c) =>
        char.IsControl(c) || char.IsSurrogate(c) || char.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
