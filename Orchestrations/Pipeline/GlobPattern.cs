namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// A path glob, matched against a whole repository path (GitHub's <c>filename</c>, <c>/</c>-separated).
/// <list type="bullet">
/// <item><c>*</c> matches any run of characters within one path segment (never a <c>/</c>);</item>
/// <item><c>?</c> matches one character other than <c>/</c>;</item>
/// <item><c>**</c> as a whole segment matches any number of segments: zero or more in front of or between other
/// segments (<c>**/x</c> matches <c>x</c> and <c>a/b/x</c>), one or more at the end (<c>a/**</c> matches everything
/// inside <c>a</c>, not a file named <c>a</c>); inside a segment (<c>a**b</c>) it is the same as <c>*</c>.</item>
/// </list>
/// Matching is case-sensitive, as Git paths are. A leading <c>/</c> on the pattern or the path is ignored, so
/// <c>/db/**</c> and <c>db/**</c> are the same. There are no character classes, braces or escapes: every other
/// character is literal. A pattern is never matched against a bare file name: write <c>**/name</c> for "at any depth".
/// </summary>
public sealed class GlobPattern
{
    const string AnySegments = "**";

    readonly string[] segments;

    GlobPattern(string text, string[] segments)
    {
        Text = text;
        this.segments = segments;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>Parses a pattern, or returns why it is not one (empty, or an empty segment such as <c>a//b</c>).</summary>
    public static bool TryParse(string? text, out GlobPattern? pattern, out string? error)
    {
        pattern = null;
        var trimmed = text?.Trim() ?? "";
        var body = trimmed.TrimStart('/');
        if (body.Length == 0)
        {
            error = "an empty glob";
            return false;
        }
        var parts = body.Split('/');
        // A trailing "/" means "this folder": the same as "folder/**".
        if (parts[^1].Length == 0) parts[^1] = AnySegments;
        if (parts.Any(p => p.Length == 0))
        {
            error = $"glob `{trimmed}` has an empty path segment";
            return false;
        }
        error = null;
        pattern = new GlobPattern(trimmed, parts);
        return true;
    }

    /// <summary>Parses a pattern that is known to be valid (built-in defaults, tests).</summary>
    public static GlobPattern Parse(string text) =>
        TryParse(text, out var pattern, out var error) ? pattern! : throw new ArgumentException(error, nameof(text));

    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var parts = path.TrimStart('/').Split('/');
        return MatchSegments(0, parts, 0, new bool[(segments.Length + 1) * (parts.Length + 1)]);
    }

    public override string ToString() => Text;

    // Recursion branches only at "**" segments; remembering which (pattern, path) positions already failed keeps a
    // pattern with many "**" (a hostile .baton.yml) polynomial instead of exponential.
    bool MatchSegments(int p, string[] path, int s, bool[] failed)
    {
        while (p < segments.Length)
        {
            if (segments[p] == AnySegments)
            {
                if (p == segments.Length - 1) return path.Length - s >= 1;
                for (var skip = s; skip <= path.Length; skip++)
                {
                    var at = (p + 1) * (path.Length + 1) + skip;
                    if (failed[at]) continue;
                    if (MatchSegments(p + 1, path, skip, failed)) return true;
                    failed[at] = true;
                }
                return false;
            }
            if (s >= path.Length || !MatchSegment(segments[p], path[s])) return false;
            p++;
            s++;
        }
        return s == path.Length;
    }

    /// <summary>Wildcard match within one segment: the classic linear scan that backtracks only to the last <c>*</c>.</summary>
    static bool MatchSegment(string pattern, string text)
    {
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]) && pattern[p] != '*')
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
