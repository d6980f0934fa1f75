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

    /// <summary>The command a comment starts with.</summary>
    public const string ApproveCommand = "/baton approve";
    public const string RejectCommand = "/baton reject";

    const int MaxAnswerLength = 4000;

    /// <summary>A new comment that starts with <see cref="ApproveCommand"/> or <see cref="RejectCommand"/> on an issue of a
    /// configured project, written by one of <see cref="JiraOptions.Approvers"/> (<paramref name="accountId"/>), answers its
    /// plan's approval; null for any other comment, and for anyone else's.</summary>
    public static JiraPlanAnswer? PlanAnswer(string? webhookEvent, string? projectKey, string commentText, string? by, string? accountId,
        JiraOptions options)
    {
        if (webhookEvent != "comment_created" || projectKey is null || options.ProjectFor(projectKey) is null) return null;
        if (accountId is null || !options.Approvers.Contains(accountId, StringComparer.Ordinal)) return null;
        var text = commentText.Trim();
        foreach (var (command, action) in new[] { (ApproveCommand, "approve"), (RejectCommand, "reject") })
        {
            if (!text.StartsWith(command, StringComparison.OrdinalIgnoreCase)) continue;
            var rest = text[command.Length..].Trim();
            if (rest.Length > MaxAnswerLength) rest = rest[..MaxAnswerLength];
            return new JiraPlanAnswer(action, rest.Length == 0 ? null : rest, string.IsNullOrWhiteSpace(by) ? "a Jira user" : by.Trim());
        }
        return null;
    }
}
