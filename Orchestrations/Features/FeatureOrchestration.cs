using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Orchestrations.Escalations;
using Microsoft.DurableTask;

namespace Baton.Orchestrations.Features;

/// <summary>
/// A Jira feature becomes a planned, approved GitHub milestone (ARCHITECTURE.md §2.5). One instance per issue
/// (<c>feature:{KEY}</c>), started by <see cref="RouteJiraDeliveryOrchestration"/>. It reads the issue, asks the model for a
/// plan until one is valid (errors fed back, <see cref="FeatureRules.MaxDraftAttempts"/> answers, then a person is asked),
/// asks a person to approve it (a rejection's text revises it, <see cref="FeatureRules.MaxApprovalRounds"/> rounds), and only
/// then creates the milestone, the issues and their blocked-by links — each step looks before it creates, so a re-run
/// after a crash creates nothing twice — tells Jira with a comment and a remote link, and starts
/// <see cref="FollowFeatureOrchestration"/>, which keeps Jira's status in step.
/// </summary>
public sealed class FeatureOrchestration : TaskOrchestrator<FeatureRequest, FeatureOutcome>
{
    public const string InstanceIdPrefix = "feature:";

    public static string InstanceIdFor(string issueKey) => InstanceIdPrefix + issueKey.ToUpperInvariant();

    public override async Task<FeatureOutcome> RunAsync(TaskOrchestrationContext context, FeatureRequest feature)
    {
        var brief = await context.CallActivityAsync<FeatureBrief>(nameof(ReadFeature), feature, RetryPolicies.Jira);
        var plan = await ApprovedPlanAsync(context, brief);
        if (plan.Plan is not { } approved) return new FeatureOutcome(brief.IssueKey, plan.State, [], [], plan.Reason);

        var milestones = new List<FeatureMilestone>();
        foreach (var repository in approved.Issues.Select(i => i.Repository).Distinct())
            milestones.Add(await context.CallActivityAsync<FeatureMilestone>(nameof(EnsureFeatureMilestone),
                FeatureRules.MilestoneFor(brief, repository), RetryPolicies.GitHub));

        var created = new Dictionary<string, CreatedIssue>();
        foreach (var issue in approved.Issues)
            created[issue.Id] = await context.CallActivityAsync<CreatedIssue>(nameof(EnsurePlannedIssue),
                FeatureRules.IssueFor(brief, issue, milestones.Single(m => m.Repository == issue.Repository).Number), RetryPolicies.GitHub);

        foreach (var issue in approved.Issues.Where(i => i.DependsOn.Count > 0))
            await context.CallActivityAsync<int>(nameof(LinkBlockers),
                new BlockerLinks(created[issue.Id], [.. issue.DependsOn.Select(d => created[d])]), RetryPolicies.GitHub);

        var issues = approved.Issues.Select(i => created[i.Id]).ToList();
        await context.CallActivityAsync<bool>(nameof(ReportFeaturePlan), new FeaturePlanReport(brief, approved, milestones, issues), RetryPolicies.Jira);
        await context.CallActivityAsync<bool>(nameof(StartFeatureFollowUp),
            new FeatureFollowUp(brief.IssueKey, feature.ProjectKey, milestones, issues), RetryPolicies.Engine);
        return new FeatureOutcome(brief.IssueKey, FeatureState.Created, milestones, issues);
    }

    /// <summary>The plan a person approved, or how planning ended without one.</summary>
    sealed record Decision(FeaturePlan? Plan, FeatureState State, string? Reason);

    static async Task<Decision> ApprovedPlanAsync(TaskOrchestrationContext context, FeatureBrief brief)
    {
        string? feedback = null;
        FeaturePlan? previous = null;
        for (var round = 1; round <= FeatureRules.MaxApprovalRounds; round++)
        {
            var check = await DraftAsync(context, brief, previous, feedback);
            if (!check.IsValid)
            {
                var help = await AskAsync(context, FeatureRules.PlanningFailedRequest(brief, check.Errors));
                if (help.Action != EscalationActions.Retry) return new Decision(null, FeatureState.NotPlanned, $"no valid plan; {help.Action} by {help.By}");
                (feedback, previous) = (help.Text, null);
                continue;
            }
            var approval = FeatureRules.ApprovalRequest(brief, check.Plan!, round);
            await context.CallActivityAsync<bool>(nameof(AskJiraForApproval), approval, RetryPolicies.Jira);
            var answer = await AskAsync(context, approval);
            if (answer.Action == EscalationActions.Approve) return new Decision(check.Plan, FeatureState.Created, null);
            if (answer.Action != EscalationActions.Reject) return new Decision(null, FeatureState.NotApproved, $"{answer.Action} by {answer.By}");
            (feedback, previous) = (answer.Text is { Length: > 0 } why ? why : "Rejected without a reason: make a different plan.", check.Plan);
        }
        return new Decision(null, FeatureState.NotApproved, $"not approved after {FeatureRules.MaxApprovalRounds} rounds");
    }

    /// <summary>Asks the model until an answer is a valid plan, feeding each answer's errors back, at most
    /// <see cref="FeatureRules.MaxDraftAttempts"/> times; returns the last check.</summary>
    static async Task<PlanCheck> DraftAsync(TaskOrchestrationContext context, FeatureBrief brief, FeaturePlan? previous, string? feedback)
    {
        var check = new PlanCheck(null, []);
        for (var attempt = 1; attempt <= FeatureRules.MaxDraftAttempts; attempt++)
        {
            var answer = await context.CallActivityAsync<string>(nameof(DraftFeaturePlan),
                new PlanDraftRequest(brief, previous is null ? null : FeatureRules.ToJson(previous), check.Errors, feedback), RetryPolicies.LlmCall);
            check = FeatureRules.Validate(answer, brief);
            if (check.IsValid) return check;
        }
        return check;
    }

    static Task<EscalationOutcome> AskAsync(TaskOrchestrationContext context, EscalationRequest request) =>
        context.CallSubOrchestratorAsync<EscalationOutcome>(nameof(EscalationOrchestration), request,
            new SubOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(context.NewGuid().ToString("N")) });
}
