using System.Text;
using System.Text.Json;
using Baton.Activities.Notifications;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;

namespace Baton.Orchestrations.Features;

/// <summary>The feature orchestration's decisions, pure: is a model's answer a sound plan, how the plan reads for
/// people, what the GitHub issues and milestones are called and how they are found again (markers).</summary>
public static class FeatureRules
{
    /// <summary>Answers asked of the model per round before a person is asked for help.</summary>
    public const int MaxDraftAttempts = 3;

    /// <summary>Rounds of approval (each rejection with feedback makes a revised plan).</summary>
    public const int MaxApprovalRounds = 3;

    /// <summary>The escalation kind of a plan's approval (docs/escalations.md).</summary>
    public const string ApprovalKind = "plan";

    /// <summary>The escalation kind when the model gave no valid plan.</summary>
    public const string PlanningFailedKind = "plan-failed";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Checks an answer: JSON, the schema, then sanity — unique ids, references that resolve, no self or circular
    /// dependency, only the project's repositories, at most <see cref="FeaturePlanSchema.MaxIssues"/> issues.</summary>
    public static PlanCheck Validate(string answer, FeatureBrief brief)
    {
        var (parsed, notJson) = SchemaCheck.Parse(answer);
        if (parsed is not { } root) return new PlanCheck(null, [notJson!]);
        var schemaErrors = FeaturePlanSchema.Check(root);
        if (schemaErrors.Count > 0) return new PlanCheck(null, schemaErrors);

        var plan = root.Deserialize<FeaturePlan>(Json)!;
        var errors = new List<string>();
        var ids = plan.Issues.Select(i => i.Id).ToList();
        foreach (var duplicate in ids.GroupBy(i => i).Where(g => g.Count() > 1)) errors.Add($"Issue id '{duplicate.Key}' is used more than once.");
        foreach (var issue in plan.Issues)
        {
            if (!brief.Repositories.Contains(issue.Repository, StringComparer.OrdinalIgnoreCase))
                errors.Add($"Issue '{issue.Id}' targets {issue.Repository}, which is not one of: {string.Join(", ", brief.Repositories)}.");
            foreach (var dependency in issue.DependsOn)
            {
                if (dependency == issue.Id) errors.Add($"Issue '{issue.Id}' depends on itself.");
                else if (!ids.Contains(dependency)) errors.Add($"Issue '{issue.Id}' depends on '{dependency}', which is not in the plan.");
            }
        }
        if (errors.Count == 0 && CycleIn(plan) is { } cycle) errors.Add($"The dependencies form a cycle: {string.Join(" → ", cycle)}.");
        return errors.Count == 0 ? new PlanCheck(plan with { Issues = [.. plan.Issues.Select(Normalised(brief))] }, []) : new PlanCheck(null, errors);
    }

    /// <summary>A dependency cycle (its ids, the first repeated at the end), or null.</summary>
    public static IReadOnlyList<string>? CycleIn(FeaturePlan plan)
    {
        var edges = plan.Issues.ToDictionary(i => i.Id, i => i.DependsOn);
        var state = new Dictionary<string, int>();   // 1: on the path, 2: done
        var path = new List<string>();
        IReadOnlyList<string>? Visit(string id)
        {
            state[id] = 1;
            path.Add(id);
            foreach (var next in edges.GetValueOrDefault(id) ?? [])
            {
                if (state.GetValueOrDefault(next) == 1) return [.. path.Skip(path.IndexOf(next)), next];
                if (state.GetValueOrDefault(next) == 0 && Visit(next) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[id] = 2;
            return null;
        }
        foreach (var issue in plan.Issues)
            if (state.GetValueOrDefault(issue.Id) == 0 && Visit(issue.Id) is { } cycle) return cycle;
        return null;
    }

    /// <summary>The repository as configured (its case), so markers and lookups agree.</summary>
    static Func<PlannedIssue, PlannedIssue> Normalised(FeatureBrief brief) => issue =>
        issue with { Repository = brief.Repositories.First(r => r.Equals(issue.Repository, StringComparison.OrdinalIgnoreCase)) };

    /// <summary>The plan as compact JSON, for the next revision's prompt.</summary>
    public static string ToJson(FeaturePlan plan) => JsonSerializer.Serialize(plan, Json);

    /// <summary>The plan for people (Markdown): each issue with its priority, repository and dependencies.</summary>
    public static string Describe(FeaturePlan plan)
    {
        var text = new StringBuilder();
        foreach (var issue in plan.Issues)
        {
            text.Append($"- **{issue.Title}** (`{issue.Id}`, {issue.Priority}, {issue.Repository})");
            if (issue.DependsOn.Count > 0) text.Append($" — after {string.Join(", ", issue.DependsOn.Select(d => $"`{d}`"))}");
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Asks a person to approve the plan, or reject it with what should change.</summary>
    public static EscalationRequest ApprovalRequest(FeatureBrief brief, FeaturePlan plan, int round) => new(
        ApprovalKind, brief.IssueKey,
        $"Plan for {brief.IssueKey} ({brief.Summary}): {plan.Issues.Count} issue(s){(round > 1 ? $", revision {round}" : "")}",
        $"Baton broke the Jira feature [{brief.IssueKey}]({brief.JiraUrl}) into these GitHub issues. Nothing is created on GitHub " +
        $"until the plan is approved. Reject it with what should change to get a revised plan.\n\n{Describe(plan)}",
        [EscalationActions.Approve, EscalationActions.Reject], Issue: null, PullRequest: null, HeadSha: null, Approvers: []);

    /// <summary>Asks a person what to do when the model gave no valid plan: try again (with guidance) or stop.</summary>
    public static EscalationRequest PlanningFailedRequest(FeatureBrief brief, IReadOnlyList<string> errors) => new(
        PlanningFailedKind, brief.IssueKey, $"No valid plan for {brief.IssueKey} ({brief.Summary})",
        $"The model answered {MaxDraftAttempts} times without a valid plan for [{brief.IssueKey}]({brief.JiraUrl}). Last problems:\n\n" +
        string.Join('\n', errors.Take(10).Select(e => $"- {e}")) + "\n\nTry again (optionally with guidance for the model), or stop.",
        [EscalationActions.Retry, EscalationActions.Stop], Issue: null, PullRequest: null, HeadSha: null, Approvers: []);

    /// <summary>The milestone's title: the Jira key and summary (GitHub allows 255 characters; kept shorter for people).</summary>
    public static string MilestoneTitle(FeatureBrief brief) => Shorten($"{brief.IssueKey}: {brief.Summary}", 120);

    /// <summary>Identifies the feature's milestone in its description, so a re-run finds it.</summary>
    public static string MilestoneMarker(string issueKey) => $"<!-- baton:feature {issueKey} -->";

    /// <summary>Identifies a planned issue in its body, so a re-run finds it instead of opening it twice.</summary>
    public static string IssueMarker(string issueKey, string planId) => $"<!-- baton:feature {issueKey} issue {planId} -->";

    /// <summary>Identifies Baton's plan comment on the Jira issue.</summary>
    public static string JiraMarker(string issueKey) => $"baton:feature-plan:{issueKey}";

    public static FeatureMilestoneSpec MilestoneFor(FeatureBrief brief, string repository) => new(repository, MilestoneTitle(brief),
        $"Planned from Jira {brief.IssueKey}: {brief.JiraUrl}\n\n{MilestoneMarker(brief.IssueKey)}", MilestoneMarker(brief.IssueKey));

    public static PlannedIssueSpec IssueFor(FeatureBrief brief, PlannedIssue issue, int milestone)
    {
        var marker = IssueMarker(brief.IssueKey, issue.Id);
        var body = new StringBuilder()
            .Append(issue.Body.Trim()).Append("\n\n## Acceptance criteria\n\n")
            .AppendJoin('\n', issue.AcceptanceCriteria.Select(c => $"- [ ] {c}"))
            .Append($"\n\nPart of the Jira feature [{brief.IssueKey}]({brief.JiraUrl}) (plan id `{issue.Id}`).\n\n")
            .Append(marker);
        return new PlannedIssueSpec(issue.Id, issue.Repository, Shorten(issue.Title, 200), body.ToString(), LabelsFor(issue.Priority), milestone, marker);
    }

    /// <summary><c>approved</c> (the conductor's queue) and the conductor's priority label: critical, high-priority, or none for normal.</summary>
    public static IReadOnlyList<string> LabelsFor(string priority) => priority switch
    {
        "critical" => [BoardLabels.Approved, BoardLabels.Critical],
        "high" => [BoardLabels.Approved, BoardLabels.HighPriority],
        _ => [BoardLabels.Approved],
    };

    /// <summary>Identifies Baton's "done" comment on the Jira issue.</summary>
    public static string DoneMarker(string issueKey) => $"baton:feature-done:{issueKey}";

    /// <summary>The comment that goes with "done": the merged pull requests, one a line.</summary>
    public static string DoneComment(IReadOnlyList<MergedPullRequest> merged) =>
        (merged.Count == 0
            ? "All of this feature's GitHub issues are done."
            : $"All of this feature's GitHub issues are done. Merged pull requests:\n\n" +
              string.Join('\n', merged.Select(p => $"{p.Repository}#{p.Number} {p.Title}: {p.HtmlUrl}")));

    /// <summary>Tells people, once, that the Jira workflow has no transition to the status Baton was to set.</summary>
    public static Notification MissingTransitionNotice(JiraStageChange change) => new("jira-transition-missing",
        $"Jira {change.IssueKey} could not be moved ({change.Stage})",
        $"The workflow offers no transition to the status configured for {change.Stage} in project {change.ProjectKey} " +
        $"(Jira__Projects__{change.ProjectKey}__{change.Stage}Status). Baton will not try again; move it by hand or fix the setting.");

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
