using Baton.Orchestrations.Escalations;
using Baton.Webhooks.Jira;
using Microsoft.DurableTask;

namespace Baton.Activities.Jira;

/// <summary>Puts a plan's approval on the Jira issue too, where its product people are: the plan as a comment, answered
/// by replying <c>/baton approve</c> or <c>/baton reject …</c> (the Jira webhook hands that to the escalation). Once per
/// round, by marker; safe to repeat.</summary>
public sealed class AskJiraForApproval(JiraClient jira) : TaskActivity<EscalationRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, EscalationRequest request)
    {
        // The same question (a retried activity) gives the same marker; a revised plan is another question.
        var digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(request.Title + "\n" + request.Body)));
        var marker = $"baton:plan-approval:{request.Subject}:{digest[..12]}";
        var text = $"{request.Title}\n\n{request.Body}\n\nTo answer here, reply {JiraRoutes.ApproveCommand}, or {JiraRoutes.RejectCommand} " +
                   "followed by what should change.";
        return jira.EnsureCommentAsync(request.Subject, marker, Adf.Document([.. Adf.Paragraphs(text), Adf.Paragraph(Adf.Text(marker))]),
            CancellationToken.None);
    }
}
