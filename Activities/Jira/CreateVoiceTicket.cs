using System.Text.Json.Nodes;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask;

namespace Baton.Activities.Jira;

/// <summary>
/// Files a spoken request's Jira ticket (REST v3): its summary and type, an ADF description with the acceptance criteria,
/// the answers given, any questions still open and the transcript quoted, labelled <c>VOICE_INITIATED</c> and with the
/// request's own label, by which a re-run after a crash finds the ticket the first run made instead of filing another.
/// (Jira's search index can lag a just-created issue by a few seconds; a crash inside that window is the one case that
/// could file twice.)
/// </summary>
public sealed class CreateVoiceTicket(JiraClient jira) : TaskActivity<VoiceTicketSpec, VoiceTicket>
{
    public override async Task<VoiceTicket> RunAsync(TaskActivityContext context, VoiceTicketSpec spec)
    {
        var label = VoiceIntentRules.TicketLabel(spec.VoiceId);
        var existing = await jira.SearchAsync($"labels = \"{label}\"", CancellationToken.None, pageSize: 1);
        var key = existing.FirstOrDefault()?.Key
            ?? (await jira.CreateIssueAsync(spec.Intent.Project, spec.Intent.IssueType, spec.Intent.Summary, Description(spec),
                [VoiceIntentRules.VoiceLabel, label], CancellationToken.None)).Key;
        return new VoiceTicket(key, jira.BrowseUri(key).ToString());
    }

    /// <summary>The ticket's description as an ADF document.</summary>
    public static JsonObject Description(VoiceTicketSpec spec)
    {
        var intent = spec.Intent;
        var blocks = new List<JsonNode>();
        blocks.AddRange(Adf.Paragraphs(intent.Description.Length > 0 ? intent.Description : intent.Summary));
        if (intent.AcceptanceCriteria.Count > 0)
        {
            blocks.Add(Adf.Heading(3, "Acceptance criteria"));
            blocks.Add(Adf.BulletList(intent.AcceptanceCriteria.Select(c => new JsonNode[] { Adf.Text(c) })));
        }
        if (spec.OpenQuestions.Count > 0)
        {
            blocks.Add(Adf.Heading(3, "Open questions"));
            blocks.Add(Adf.BulletList(spec.OpenQuestions.Select(q => new JsonNode[] { Adf.Text(q) })));
        }
        foreach (var clarification in spec.Clarifications)
        {
            blocks.Add(Adf.Heading(3, $"Answered by {clarification.By}"));
            blocks.Add(Adf.BulletList(clarification.Questions.Select(q => new JsonNode[] { Adf.Text(q) })));
            blocks.Add(Adf.Quote(clarification.Answer));
        }
        blocks.Add(Adf.Heading(3, "Transcript"));
        blocks.Add(Adf.Quote(spec.Transcript));
        blocks.Add(Adf.Paragraph(Adf.Text(
            $"Requested by voice by {spec.SubmittedBy} on {spec.SubmittedAt:yyyy-MM-dd HH:mm} UTC; priority {intent.Priority}, confidence {intent.Confidence:0.00}. Filed by Baton.")));
        return Adf.Document(blocks);
    }
}
