using System.Text.Json.Serialization;

namespace Baton.Orchestrations.Features;

/// <summary>A feature to plan: a Jira issue that entered its project's ready status.</summary>
public sealed record FeatureRequest(string IssueKey, string ProjectKey);

/// <summary>What the plan is made from: the Jira issue as text, where it may be built, and its link for people.</summary>
public sealed record FeatureBrief(string IssueKey, string Summary, string Description, IReadOnlyList<string> Repositories, string JiraUrl);

/// <summary>The model's breakdown of a feature into GitHub issues (the shape <see cref="FeaturePlanSchema"/> checks).</summary>
public sealed record FeaturePlan([property: JsonPropertyName("issues")] IReadOnlyList<PlannedIssue> Issues);

/// <summary>One GitHub issue of a plan.</summary>
/// <param name="Id">The plan's own short id (<c>api-endpoint</c>), used by <see cref="DependsOn"/> and in the marker.</param>
/// <param name="Priority">critical, high or normal.</param>
/// <param name="DependsOn">Ids of the issues that must be done first (GitHub's blocked-by).</param>
/// <param name="Repository"><c>owner/repo</c>, one of the project's repositories.</param>
public sealed record PlannedIssue(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("body")] string Body,
    [property: JsonPropertyName("acceptance_criteria")] IReadOnlyList<string> AcceptanceCriteria,
    [property: JsonPropertyName("priority")] string Priority,
    [property: JsonPropertyName("depends_on")] IReadOnlyList<string> DependsOn,
    [property: JsonPropertyName("repository")] string Repository);

/// <summary>What the planning activity is asked: the brief, and on a later attempt what was wrong with the last one.</summary>
/// <param name="PreviousPlan">The last plan (JSON), when it is revised.</param>
/// <param name="Errors">Validation errors of the previous answer, fed back to the model.</param>
/// <param name="Feedback">A person's reason for rejecting the previous plan.</param>
public sealed record PlanDraftRequest(FeatureBrief Brief, string? PreviousPlan, IReadOnlyList<string> Errors, string? Feedback);

/// <summary>A validated plan, or why the answer is not one.</summary>
public sealed record PlanCheck(FeaturePlan? Plan, IReadOnlyList<string> Errors)
{
    public bool IsValid => Plan is not null && Errors.Count == 0;
}

/// <summary>A milestone that holds a feature's issues in one repository.</summary>
public sealed record FeatureMilestone(string Repository, int Number, string? HtmlUrl);

/// <summary>Asks for a feature's milestone in <paramref name="Repository"/>, found by <paramref name="Marker"/> or made.</summary>
public sealed record FeatureMilestoneSpec(string Repository, string Title, string Description, string Marker);

/// <summary>Asks for one planned issue, found by <paramref name="Marker"/> in its body or created (in <paramref name="Milestone"/>, when there is one).</summary>
public sealed record PlannedIssueSpec(string PlanId, string Repository, string Title, string Body, IReadOnlyList<string> Labels, int? Milestone, string Marker);

/// <summary>A planned issue as it exists on GitHub; <paramref name="Id"/> is the database id blocked-by takes.</summary>
public sealed record CreatedIssue(string PlanId, string Repository, int Number, long Id, string? HtmlUrl);

/// <summary>Makes <paramref name="Issue"/> blocked by each of <paramref name="Blockers"/>.</summary>
public sealed record BlockerLinks(CreatedIssue Issue, IReadOnlyList<CreatedIssue> Blockers);

/// <summary>What Jira is told once the plan exists on GitHub.</summary>
public sealed record FeaturePlanReport(FeatureBrief Brief, FeaturePlan Plan, IReadOnlyList<FeatureMilestone> Milestones, IReadOnlyList<CreatedIssue> Issues);

/// <summary>How a feature ended.</summary>
public enum FeatureState
{
    /// <summary>Approved and created on GitHub; Jira has the plan and the links.</summary>
    Created,
    /// <summary>The person stopped it, or nobody answered: nothing was created.</summary>
    NotApproved,
    /// <summary>No valid plan came out of the model, and the person stopped it.</summary>
    NotPlanned,
}

/// <summary>The feature's result.</summary>
public sealed record FeatureOutcome(string IssueKey, FeatureState State, IReadOnlyList<FeatureMilestone> Milestones, IReadOnlyList<CreatedIssue> Issues, string? Reason = null);
