using Baton.Activities.Jira;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>A feature to plan: a Jira issue that entered its project's ready status.</summary>
public sealed record FeatureRequest(string IssueKey, string ProjectKey);

/// <summary>What the plan is made from: the Jira issue as text, where it may be built, and its link for people.</summary>
public sealed record FeatureBrief(string IssueKey, string Summary, string Description, IReadOnlyList<string> Repositories, string JiraUrl);

/// <summary>
/// A Jira feature becomes a planned, approved GitHub milestone (ARCHITECTURE.md §2.5): one instance per issue
/// (<c>feature:{KEY}</c>), started by <see cref="RouteJiraDeliveryOrchestration"/>.
/// </summary>
public sealed class FeatureOrchestration : TaskOrchestrator<FeatureRequest, FeatureBrief>
{
    public const string InstanceIdPrefix = "feature:";

    public static string InstanceIdFor(string issueKey) => InstanceIdPrefix + issueKey.ToUpperInvariant();

    public override async Task<FeatureBrief> RunAsync(TaskOrchestrationContext context, FeatureRequest feature)
    {
        var brief = await context.CallActivityAsync<FeatureBrief>(nameof(ReadFeature), feature, RetryPolicies.Jira);
        return brief;
    }
}
