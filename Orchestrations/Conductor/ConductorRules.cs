using Baton.Activities.Conductor;
using NCrontab;

namespace Baton.Orchestrations.Conductor;

/// <summary>The conductor's pure decisions around the planner: what the planner sees and when the next sweep is.</summary>
public static class ConductorRules
{
    /// <summary>The planner's view of a board reading (labels compared without case, as GitHub does).</summary>
    public static BoardSnapshot Snapshot(BoardReading reading) => new(
        reading.Issues.Select(i => new IssueSnapshot(
            i.Issue, i.Open ? IssueState.Open : IssueState.Closed,
            new HashSet<string>(i.Labels, StringComparer.OrdinalIgnoreCase), i.ApprovedAt, i.Milestone, i.BlockedBy)).ToList(),
        new Capacity(reading.Capacity, new Dictionary<string, int>(reading.RepositoryCapacity, StringComparer.OrdinalIgnoreCase)),
        reading.Running);

    /// <summary>The milestones to watch for completion: those already watched plus those of the issues just read
    /// (their last issue may close in any later round, when it no longer shows up among the approved issues).</summary>
    public static IReadOnlyList<MilestoneRef> Milestones(IReadOnlyList<MilestoneRef> watched, BoardReading reading) =>
        watched.Concat(reading.Issues
                .Where(i => i.MilestoneNumber is not null)
                .Select(i => new MilestoneRef(i.Issue.Repository, i.MilestoneNumber!.Value)))
            .Distinct()
            .OrderBy(m => m.Repository, StringComparer.OrdinalIgnoreCase).ThenBy(m => m.Number)
            .ToList();

    /// <summary>How far the clocks of two Baton replicas (or of a sender and the conductor) may be apart.</summary>
    public static readonly TimeSpan WakeClockSkew = TimeSpan.FromSeconds(1);

    /// <summary>
    /// True when a round whose board read started at <paramref name="boardReadAt"/> has already seen what
    /// <paramref name="wake"/> reports: the wake was sent earlier, by more than the clock skew, and every round reads
    /// the whole board fresh. Such a wake needs no round of its own; a wake without a send time always gets one.
    /// </summary>
    public static bool IsCoveredBy(ConductorWake wake, DateTime boardReadAt) =>
        wake.SentAt is { } sentAt && sentAt < boardReadAt - WakeClockSkew;

    /// <summary>The next sweep after <paramref name="now"/> for a 6-field cron (seconds first); an invalid schedule
    /// falls back to every minute rather than stopping the queue.</summary>
    public static DateTime NextSweep(string schedule, DateTime now)
    {
        var cron = CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true })
                   ?? CrontabSchedule.Parse("0 * * * * *", new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        return DateTime.SpecifyKind(cron.GetNextOccurrence(now), DateTimeKind.Utc);
    }
}
