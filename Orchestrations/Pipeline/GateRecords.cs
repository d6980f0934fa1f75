using System.Text;
using Baton.Activities.GitHub;

namespace Baton.Orchestrations.Pipeline;

/// <summary>
/// One file of a pull request as the gate rules see it. <paramref name="Patch"/> is GitHub's unified diff for the file;
/// GitHub leaves it out for binary and very large diffs, and the rules then assume the worst.
/// <paramref name="Status"/> is GitHub's: added, removed, modified, renamed, copied, changed, unchanged.
/// </summary>
public sealed record ChangedFile(string Path, string Status = "modified", string? Patch = null, string? PreviousPath = null)
{
    public static ChangedFile From(GitHubPullRequestFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return new(file.Filename, file.Status, file.Patch, file.PreviousFilename);
    }

    public bool IsRemoved => Status == "removed";
}

/// <summary>Why one path hit a class: the glob it matched or the lines it adds.</summary>
public sealed record GateTrigger(string Path, string Why);

/// <summary>A class the pull request hits, with every path that triggered it.</summary>
public sealed record GateHit(GateClass Class, IReadOnlyList<GateTrigger> Triggers);

/// <summary>The outcome of <see cref="GateRules.Decide"/>: the classes hit (none means no human gate).</summary>
public sealed record GateDecision(IReadOnlyList<GateHit> Hits)
{
    /// <summary>How many triggers per class the comment lists before "and N more".</summary>
    public const int TriggersShown = 10;

    public static GateDecision None { get; } = new([]);

    public bool IsGated => Hits.Count > 0;

    public IReadOnlyList<GateClass> Classes => Hits.Select(h => h.Class).ToArray();

    /// <summary>Markdown for the <c>needs-human</c> comment: one line per class, then the triggering paths.</summary>
    public string Describe()
    {
        if (!IsGated) return "No human gate: the pull request touches no gated path.";
        var text = new StringBuilder("This pull request needs a human approval (an approving review on the current head commit) because it touches:\n");
        foreach (var hit in Hits)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n**{hit.Class.Name()}**\n");
            foreach (var trigger in hit.Triggers.Take(TriggersShown))
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"- `{trigger.Path}`: {trigger.Why}\n");
            if (hit.Triggers.Count > TriggersShown)
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"- … and {hit.Triggers.Count - TriggersShown} more\n");
        }
        return text.ToString();
    }
}

/// <summary>
/// A submitted pull-request review, reduced to what the approval check needs. <paramref name="State"/> is GitHub's:
/// APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING; <paramref name="CommitId"/> is the head it reviewed.
/// </summary>
public sealed record ReviewInfo(long Id, string Login, string State, string? CommitId, DateTimeOffset? SubmittedAt = null)
{
    public static ReviewInfo From(GitHubReview review)
    {
        ArgumentNullException.ThrowIfNull(review);
        return new(review.Id, review.User?.Login ?? "", review.State, review.CommitId, review.SubmittedAt);
    }
}

/// <summary>
/// Whether the gate is satisfied, by whom, and why (or why not) in a sentence the orchestration can post. Each of
/// <paramref name="Notes"/> explains a review that did not count (an older commit, a person not allowed, the bot).
/// </summary>
public sealed record ApprovalVerdict(bool Satisfied, string Reason, string? ApprovedBy, IReadOnlyList<string> Notes);
