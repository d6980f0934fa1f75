namespace Baton.Orchestrations.Conductor;

/// <summary>The labels that make up the board (ARCHITECTURE.md §2.1). Each is an independent state.</summary>
public static class BoardLabels
{
    /// <summary>Set by a human: the issue may be worked on.</summary>
    public const string Approved = "approved";

    /// <summary>Set by Baton: the issue has an open blocker.</summary>
    public const string Blocked = "blocked";

    /// <summary>Set by Baton: an agent is working on the issue.</summary>
    public const string InProgress = "in-progress";

    /// <summary>Set by Baton: the pull request is open.</summary>
    public const string InReview = "in-review";

    /// <summary>Set by Baton: waiting at a human gate or escalated; the issue is past the queue until a person acts.</summary>
    public const string NeedsHuman = "needs-human";

    /// <summary>Set by Baton: merged (and deployed, where the repository says so).</summary>
    public const string Done = "done";

    /// <summary>Highest priority: takes the next free slot ahead of everything else.</summary>
    public const string Critical = "critical";

    /// <summary>Ahead of normal work, behind <see cref="Critical"/>.</summary>
    public const string HighPriority = "high-priority";
}
