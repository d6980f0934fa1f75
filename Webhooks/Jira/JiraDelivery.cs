namespace Baton.Webhooks.Jira;

/// <summary>Where a Jira delivery routes (<see cref="JiraRoutes"/>).</summary>
public enum JiraRouteKind
{
    /// <summary>Acknowledged and ignored (with a log line saying why).</summary>
    Ignored,
    /// <summary>An issue entered its project's ready status: plan it (<c>FeatureOrchestration</c>).</summary>
    FeatureReady,
    /// <summary>A comment answers the feature's plan approval (<c>/baton approve</c>, <c>/baton reject …</c>).</summary>
    PlanAnswer,
}

/// <summary>A person's answer to a plan's approval, written as a Jira comment.</summary>
/// <param name="Action">approve or reject.</param>
/// <param name="Text">What should change (a rejection's feedback).</param>
/// <param name="By">The commenter's display name.</param>
public sealed record JiraPlanAnswer(string Action, string? Text, string By);

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
    string Reason)
{
    /// <summary>Set when <see cref="Route"/> is <see cref="JiraRouteKind.PlanAnswer"/>.</summary>
    public JiraPlanAnswer? Answer { get; init; }
}
