namespace Baton.Orchestrations.Conductor;

/// <summary>Names and payloads of the events the conductor and issue orchestrations exchange; senders use these too.</summary>
public static class ConductorEvents
{
    /// <summary>The one conductor instance of a Baton.</summary>
    public const string ConductorInstanceId = "conductor";

    /// <summary>Something on the board may have changed: plan again.</summary>
    public const string Wake = nameof(Wake);

    /// <summary>A person closed the issue: its work ends and its slot frees.</summary>
    public const string IssueClosed = nameof(IssueClosed);

    /// <summary>What every issue orchestration's instance id starts with.</summary>
    public const string IssueInstanceIdPrefix = "issue:";

    public static string IssueInstanceId(IssueRef issue) => $"{IssueInstanceIdPrefix}{issue.Owner}/{issue.Repo}#{issue.Number}";
}

/// <summary>Why the conductor was woken (for the log and the status API).</summary>
public sealed record ConductorWake(string Reason)
{
    /// <summary>The sender's <c>CurrentUtcDateTime</c> when it sent the wake, after whatever it reports had happened.
    /// A round whose board read started later has seen that already, so the wake is skipped
    /// (<see cref="ConductorRules.IsCoveredBy"/>). Null: never skipped.</summary>
    public DateTime? SentAt { get; init; }
}

/// <summary>A milestone of a managed repository, by number.</summary>
public sealed record MilestoneRef(string Repository, int Number);

/// <summary>A milestone whose issues are all closed, now closed itself.</summary>
public sealed record CompletedMilestone(MilestoneRef Milestone, string Title, int ClosedIssues);
