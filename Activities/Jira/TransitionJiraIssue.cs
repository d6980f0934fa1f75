using Baton.Orchestrations.Features;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Jira;

/// <summary>
/// Moves a Jira issue to its project's status for a stage, finding the transition by the status it leads to (or its own
/// name), since workflows number them differently. An issue already there is left as it is; a workflow without such a
/// transition answers <see cref="JiraMoveResult.Missing"/> instead of failing, so it is reported once, not retried. The
/// comment, if any, is added once (by its marker). Safe to repeat.
/// </summary>
public sealed class TransitionJiraIssue(JiraClient jira, IOptions<JiraOptions> options, ILogger<TransitionJiraIssue> logger)
    : TaskActivity<JiraStageChange, JiraMoveResult>
{
    public override async Task<JiraMoveResult> RunAsync(TaskActivityContext context, JiraStageChange change)
    {
        var project = options.Value.ProjectFor(change.ProjectKey);
        var status = change.Stage == JiraStage.Done
            ? project?.DoneStatus ?? options.Value.DoneStatus
            : project?.InProgressStatus ?? options.Value.InProgressStatus;
        var result = await MoveAsync(change.IssueKey, status);
        if (change.Comment is { } comment && result != JiraMoveResult.Missing)
            await jira.EnsureCommentAsync(change.IssueKey, change.CommentMarker ?? comment,
                Adf.Document([.. Adf.Paragraphs(comment), Adf.Paragraph(Adf.Text(change.CommentMarker ?? ""))]), CancellationToken.None);
        return result;
    }

    async Task<JiraMoveResult> MoveAsync(string issueKey, string status)
    {
        var issue = await jira.GetIssueAsync(issueKey, CancellationToken.None);
        if (string.Equals(issue.Fields.Status?.Name, status, StringComparison.OrdinalIgnoreCase)) return JiraMoveResult.AlreadyThere;
        var transitions = await jira.GetTransitionsAsync(issueKey, CancellationToken.None);
        var transition = transitions.FirstOrDefault(t => string.Equals(t.To?.Name, status, StringComparison.OrdinalIgnoreCase))
            ?? transitions.FirstOrDefault(t => string.Equals(t.Name, status, StringComparison.OrdinalIgnoreCase));
        if (transition is null)
        {
            JiraLog.NoTransition(logger, issueKey, status);
            return JiraMoveResult.Missing;
        }
        await jira.TransitionAsync(issueKey, transition.Id, CancellationToken.None);
        JiraLog.Transitioned(logger, issueKey, status);
        return JiraMoveResult.Moved;
    }
}
