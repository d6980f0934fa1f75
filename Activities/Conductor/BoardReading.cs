using Baton.Orchestrations.Conductor;

namespace Baton.Activities.Conductor;

/// <summary>One issue as read from GitHub: plain data, so it travels through history unchanged.</summary>
public sealed record BoardIssue(
    IssueRef Issue,
    bool Open,
    IReadOnlyList<string> Labels,
    DateTimeOffset? ApprovedAt,
    string? Milestone,
    IReadOnlyList<IssueRef> BlockedBy,
    int? MilestoneNumber = null);

/// <summary>Everything one planning round needs: the issues, the slots, the work already running, and when to sweep.</summary>
public sealed record BoardReading(
    IReadOnlyList<BoardIssue> Issues,
    int Capacity,
    IReadOnlyDictionary<string, int> RepositoryCapacity,
    IReadOnlyList<IssueRef> Running,
    string SweepSchedule);
