using Baton.Activities.Jira;

namespace Baton.Webhooks.Jira;

/// <summary>
/// The one visible routing table for Jira deliveries: an issue of a configured project entering that project's ready
/// status is a feature to plan; everything else is acknowledged and ignored, with the reason.
/// </summary>
public static class JiraRoutes
{
    /// <summary>The route and the reason for it.</summary>
    public static (JiraRouteKind Route, string Reason) Route(string? issueKey, string? projectKey, string? enteredStatus, JiraOptions options)
    {
        if (issueKey is null || projectKey is null) return (JiraRouteKind.Ignored, "the event names no issue");
        if (options.ProjectFor(projectKey) is not { } project)
            return (JiraRouteKind.Ignored, $"project {projectKey} has no Jira__Projects__{projectKey}__Repository");
        if (enteredStatus is null) return (JiraRouteKind.Ignored, "the issue's status did not change");
        return string.Equals(enteredStatus, project.ReadyStatus, StringComparison.OrdinalIgnoreCase)
            ? (JiraRouteKind.FeatureReady, $"entered {project.ReadyStatus}")
            : (JiraRouteKind.Ignored, $"entered {enteredStatus}, not {project.ReadyStatus}");
    }
}
