using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Notifications;
using Microsoft.DurableTask;

namespace Baton.Orchestrations.Features;

/// <summary>
/// Jira hears back about a created feature (instance <c>feature-progress:{KEY}</c>, started once by the feature). Each
/// round reads the feature's issues and milestones on GitHub; when the first issue is claimed the Jira issue moves to the
/// project's "in progress" status, and when every milestone is closed to its "done" status with a comment listing the
/// merged pull requests. Transitions are looked up by name; a missing one is reported once and not retried. Between
/// rounds a durable timer waits, then it continues as new, so its history stays one round long.
/// </summary>
public sealed class FollowFeatureOrchestration : TaskOrchestrator<FeatureFollowUp, FeatureFollowUpResult?>
{
    public const string InstanceIdPrefix = "feature-progress:";

    public static string InstanceIdFor(string issueKey) => InstanceIdPrefix + issueKey.ToUpperInvariant();

    public override async Task<FeatureFollowUpResult?> RunAsync(TaskOrchestrationContext context, FeatureFollowUp followUp)
    {
        var progress = await context.CallActivityAsync<FeatureProgress>(nameof(ReadFeatureProgress), followUp, RetryPolicies.GitHub);

        if ((progress.Started || progress.Complete) && !followUp.StartedReported)
        {
            await MoveAsync(context, new JiraStageChange(followUp.IssueKey, followUp.ProjectKey, JiraStage.InProgress));
            followUp = followUp with { StartedReported = true };
        }
        if (progress.Complete)
        {
            var done = await MoveAsync(context, new JiraStageChange(followUp.IssueKey, followUp.ProjectKey, JiraStage.Done,
                FeatureRules.DoneComment(progress.Merged), FeatureRules.DoneMarker(followUp.IssueKey)));
            return new FeatureFollowUpResult(followUp.IssueKey, done, followUp.Polls + 1);
        }

        await context.CreateTimer(context.CurrentUtcDateTime + progress.PollEvery, CancellationToken.None);
        context.ContinueAsNew(followUp with { Polls = followUp.Polls + 1 });
        return null;
    }

    /// <summary>Moves the Jira issue; a workflow without the transition is told to people once (this is its only attempt).</summary>
    static async Task<JiraMoveResult> MoveAsync(TaskOrchestrationContext context, JiraStageChange change)
    {
        var result = await context.CallActivityAsync<JiraMoveResult>(nameof(TransitionJiraIssue), change, RetryPolicies.Jira);
        if (result == JiraMoveResult.Missing)
            await context.CallActivityAsync<bool>(nameof(SendNotification), FeatureRules.MissingTransitionNotice(change), RetryPolicies.Engine);
        return result;
    }
}
