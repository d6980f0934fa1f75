using System.Text;
using System.Text.Json;
using Baton.Activities.Features;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;

namespace Baton.Orchestrations.Voice;

/// <summary>The voice intake's decisions, pure: is a model's answer a sound intent, what must the speaker still be asked,
/// how the question reads for people, and what the Jira ticket and the GitHub issue are made of (and found again by).</summary>
public static class VoiceIntentRules
{
    /// <summary>Answers asked of the model per extraction before the request fails.</summary>
    public const int MaxExtractAttempts = 3;

    /// <summary>The label every ticket made from speech carries.</summary>
    public const string VoiceLabel = "VOICE_INITIATED";

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The label that finds request <paramref name="voiceId"/>'s ticket again after a crash.</summary>
    public static string TicketLabel(string voiceId) => $"baton-voice-{voiceId}";

    /// <summary>The marker that finds request <paramref name="voiceId"/>'s GitHub issue again.</summary>
    public static string IssueMarker(string voiceId) => $"<!-- baton:voice {voiceId} -->";

    /// <summary>Checks an answer: JSON, the schema, then the project — the speaker's choice wins, an empty one takes the
    /// default (or the only project), anything else must be a configured project.</summary>
    public static IntentCheck Validate(string answer, VoiceSettings settings, string? chosenProject)
    {
        var (parsed, notJson) = SchemaCheck.Parse(answer);
        if (parsed is not { } root) return new IntentCheck(null, [notJson!]);
        var schemaErrors = VoiceIntentSchema.Check(root);
        if (schemaErrors.Count > 0) return new IntentCheck(null, schemaErrors);

        var intent = root.Deserialize<VoiceIntent>(Json)!;
        var project = ProjectOf(settings, chosenProject) ?? ProjectOf(settings, intent.Project);
        if (project is null && intent.Project.Trim().Length > 0)
            return new IntentCheck(null, [$"project '{intent.Project}' is not one of: {string.Join(", ", settings.Projects.Select(p => p.Key))} (leave it empty when the speaker did not say)."]);
        project ??= ProjectOf(settings, settings.DefaultProject) ?? (settings.Projects.Count == 1 ? settings.Projects[0] : null);
        return new IntentCheck(intent with
        {
            Project = project?.Key ?? "",
            Summary = intent.Summary.Trim(),
            Description = intent.Description.Trim(),
            AcceptanceCriteria = [.. intent.AcceptanceCriteria.Select(c => c.Trim()).Where(c => c.Length > 0)],
            Questions = [.. intent.Questions.Select(q => q.Trim()).Where(q => q.Length > 0)],
        }, []);
    }

    static VoiceProject? ProjectOf(VoiceSettings settings, string? key) =>
        key is { Length: > 0 } ? settings.Projects.FirstOrDefault(p => p.Key.Equals(key.Trim(), StringComparison.OrdinalIgnoreCase)) : null;

    /// <summary>What the speaker must still be asked: the model's questions, which project when none could be told, and a
    /// request for more detail when the model is unsure but asked nothing.</summary>
    public static IReadOnlyList<string> QuestionsFor(VoiceIntent intent, VoiceSettings settings)
    {
        var questions = new List<string>(intent.Questions);
        if (intent.Project.Length == 0)
            questions.Add($"Which project is this for: {string.Join(", ", settings.Projects.Select(p => p.Key))}?");
        if (questions.Count == 0 && intent.Confidence < settings.MinConfidence)
            questions.Add("Could you say more about what you need, and how you will know it is done?");
        return questions;
    }

    /// <summary>The escalation that asks the speaker (or anyone allowed to answer) the questions.</summary>
    public static EscalationRequest ClarificationRequest(VoiceRequest request, string transcript, VoiceIntent intent, IReadOnlyList<string> questions)
    {
        var body = new StringBuilder();
        body.Append($"{request.SubmittedBy} asked for this by voice; Baton needs an answer before it files the ticket.\n\n");
        body.Append("> ").Append(Shorten(transcript, 1500).ReplaceLineEndings("\n> ")).Append("\n\n");
        body.Append($"Understood so far: **{intent.Summary}** ({intent.IssueType}, {intent.Priority}).\n\n");
        for (var i = 0; i < questions.Count; i++) body.Append($"{i + 1}. {questions[i]}\n");
        body.Append($"\nAnswer all of them in one text (on the recorder page, with `POST /api/voice/{request.Id}/clarify`, or here), or stop the request.");
        return new EscalationRequest(VoiceIntakeOrchestration.EscalationKind, $"voice request {request.Id[..8]}",
            $"Question about a spoken request: {Shorten(intent.Summary, 120)}", body.ToString(),
            [EscalationActions.Answer, EscalationActions.Stop], Issue: null, PullRequest: null, HeadSha: null, Approvers: [])
        {
            PagePath = $"voice?request={request.Id}",
        };
    }

    /// <summary>The GitHub issue a clear request becomes (<c>Voice__AutoDispatch</c>): labelled <c>approved</c> (and its
    /// priority) so the conductor queues it, linking its Jira ticket, found again by its marker.</summary>
    public static PlannedIssueSpec IssueFor(string voiceId, VoiceIntent intent, VoiceTicket ticket, string repository)
    {
        var body = new StringBuilder();
        body.Append(intent.Description.Length > 0 ? intent.Description : intent.Summary).Append("\n\n");
        if (intent.AcceptanceCriteria.Count > 0)
            body.Append("## Acceptance criteria\n").AppendJoin('\n', intent.AcceptanceCriteria.Select(c => $"- [ ] {c}")).Append("\n\n");
        body.Append($"Requested by voice; Jira: [{ticket.Key}]({ticket.Url})\n\n").Append(IssueMarker(voiceId));
        return new PlannedIssueSpec("voice", repository, Shorten(intent.Summary, 200), body.ToString(), FeatureRules.LabelsFor(intent.Priority),
            Milestone: null, IssueMarker(voiceId));
    }

    /// <summary>Why a request without a transcript cannot go on, for the speaker.</summary>
    public const string NothingHeard = "No speech was heard in the recording. Record again closer to the microphone, in a quieter place.";

    public const string NoProjects = "No Jira project is set up for spoken requests, so there is nowhere to file the ticket (Jira__Projects__<KEY>__Repository).";

    public static string TranscriptionFailed(string why) => $"The recording could not be transcribed: {why}";

    public static string NotUnderstood(IReadOnlyList<string> errors) =>
        $"The model did not turn the request into a ticket after {MaxExtractAttempts} answers ({string.Join("; ", errors.Take(3))}). Try again, or file it by hand.";

    public static string NotAnswered(EscalationOutcome outcome) => outcome.TimedOut
        ? "Nobody answered the questions in time, so no ticket was filed. Record the request again with the details."
        : $"Stopped by {outcome.By} while waiting for an answer; no ticket was filed.";

    public static string TicketFailed(string why) => $"The Jira ticket could not be created: {why}";

    static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
