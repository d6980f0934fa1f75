namespace Baton.Orchestrations.Features;

/// <summary>What following a created feature needs: the issue in Jira, and what was created for it on GitHub.</summary>
/// <param name="StartedReported">The Jira issue was already moved to "in progress" (or that was reported impossible).</param>
public sealed record FeatureFollowUp(
    string IssueKey,
    string ProjectKey,
    IReadOnlyList<FeatureMilestone> Milestones,
    IReadOnlyList<CreatedIssue> Issues,
    bool StartedReported = false,
    int Polls = 0);

/// <summary>How the feature stands on GitHub, read by <c>ReadFeatureProgress</c>.</summary>
/// <param name="Started">An issue has been claimed (in progress, in review, done, or closed).</param>
/// <param name="Complete">Every milestone is closed (the conductor closes a milestone whose issues are all closed).</param>
/// <param name="Merged">The merged pull requests of the feature's issues; read only once it is complete.</param>
/// <param name="PollEvery">When to look again (<c>Jira__ProgressPollInterval</c>).</param>
public sealed record FeatureProgress(bool Started, bool Complete, IReadOnlyList<MergedPullRequest> Merged, TimeSpan PollEvery);

public sealed record MergedPullRequest(string Repository, int Number, string Title, string HtmlUrl);

/// <summary>Where a feature stands in Jira's workflow; the status names are the project's (<c>Jira__Projects__{KEY}__…</c>).</summary>
public enum JiraStage { InProgress, Done }

/// <summary>Moves the Jira issue to its project's status for <paramref name="Stage"/>, with an optional comment (ADF,
/// once per <paramref name="CommentMarker"/>).</summary>
public sealed record JiraStageChange(string IssueKey, string ProjectKey, JiraStage Stage, string? Comment = null, string? CommentMarker = null);

/// <summary>How a stage change went. <see cref="Missing"/>: the workflow has no transition to that status now — it is
/// reported once and not retried.</summary>
public enum JiraMoveResult { Moved, AlreadyThere, Missing }

/// <summary>How following a feature ended.</summary>
public sealed record FeatureFollowUpResult(string IssueKey, JiraMoveResult Done, int Polls);
