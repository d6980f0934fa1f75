namespace Baton.Webhooks.Jira;

/// <summary>Where a Jira delivery routes (<see cref="JiraRoutes"/>).</summary>
public enum JiraRouteKind
{
    /// <summary>Acknowledged and ignored (with a log line saying why).</summary>
    Ignored,
    /// <summary>An issue entered its project's ready status: plan it (<c>FeatureOrchestration</c>).</summary>
    FeatureReady,
}

/// <summary>
/// One accepted Jira delivery as Baton keeps it: which issue, which status it entered, where it routes — never the
/// payload (the feature orchestration reads the issue from the v3 API).
/// </summary>
/// <param name="DeliveryId"><c>X-Atlassian-Webhook-Identifier</c>, or a key made from an automation rule's id.</param>
/// <param name="EnteredStatus">The status the issue moved to in this event (its changelog), or, for an automation
/// rule's payload without a changelog, the status it is in.</param>
/// <param name="Reason">Why it routes as it does, for the log.</param>
public sealed record JiraDelivery(
    string DeliveryId,
    string Event,
    string? IssueKey,
    string? ProjectKey,
    string? EnteredStatus,
    JiraRouteKind Route,
    string Reason);
