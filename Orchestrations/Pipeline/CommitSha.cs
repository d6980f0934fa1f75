namespace Baton.Orchestrations.Pipeline;

/// <summary>How people are shown a commit: its first seven hex digits, as GitHub shows them.</summary>
public static class CommitSha
{
    public static string Short(string? sha, string unknown = "?") => sha is null ? unknown : sha[..Math.Min(7, sha.Length)];
}
