using Baton.Activities.Jira;
using Baton.Orchestrations.Features;
using Baton.Webhooks.Jira;
using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>
/// Routes one accepted Jira delivery: intake starts it under the delivery's own instance id (<see cref="InstanceIdFor"/>,
/// from <c>X-Atlassian-Webhook-Identifier</c> or the rule's id), so Jira's retries start nothing. It starts the
/// feature's orchestration (<c>feature:{KEY}</c>), which exists once per issue however many deliveries name it.
/// </summary>
public sealed class RouteJiraDeliveryOrchestration : TaskOrchestrator<JiraDelivery, bool>
{
    public const string InstanceIdPrefix = "jira-delivery:";

    public static string InstanceIdFor(string deliveryId) => InstanceIdPrefix + deliveryId;

    /// <returns>True when this delivery started the feature; false when it was already started.</returns>
    public override Task<bool> RunAsync(TaskOrchestrationContext context, JiraDelivery delivery) =>
        delivery is { Route: JiraRouteKind.FeatureReady, IssueKey: { } issueKey, ProjectKey: { } projectKey }
            ? context.CallActivityAsync<bool>(nameof(StartFeature), new FeatureRequest(issueKey, projectKey), RetryPolicies.Engine)
            : Task.FromResult(false);
}
