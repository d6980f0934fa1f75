using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Activities.Transcription;
using Baton.Activities.Voice;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask;

namespace Baton.Orchestrations.Voice;

/// <summary>
/// A spoken request becomes a Jira ticket, and optionally queued work (ARCHITECTURE.md §2.5). One instance per upload
/// (<c>voice:{id}</c>), started by <c>POST /api/voice</c>. It transcribes the recording, asks the model for the intent
/// until an answer is valid, asks the speaker (an escalation of kind <see cref="EscalationKind"/>: the recorder page, the
/// clarify endpoint, Discord or the dashboard answer it, with reminders and a final timeout) while the request is
/// ambiguous, creates the ticket, and with <c>Voice__AutoDispatch</c> the GitHub issue labelled <c>approved</c> that the
/// conductor queues. Each creating step looks before it creates, so a crash at any point creates nothing twice. Every step
/// is published in the custom status (<see cref="VoiceStatus"/>), which the status and event-stream endpoints read.
/// It never fails as an orchestration: a request that cannot go on ends in <see cref="VoiceSteps.Failed"/> with a reason.
/// </summary>
public sealed class VoiceIntakeOrchestration : TaskOrchestrator<VoiceRequest, VoiceOutcome>
{
    /// <summary>The escalation kind of a clarification (<c>Escalation__Kinds__voice__…</c>).</summary>
    public const string EscalationKind = "voice";

    public override async Task<VoiceOutcome> RunAsync(TaskOrchestrationContext context, VoiceRequest request)
    {
        var progress = new Progress(context, request.Id);
        try
        {
            return await HandleAsync(context, request, progress);
        }
        finally
        {
            await context.CallActivityAsync<bool>(nameof(DiscardVoiceAudio), new TranscriptionRequest(request.Id, request.AudioPath), RetryPolicies.Engine);
        }
    }

    static async Task<VoiceOutcome> HandleAsync(TaskOrchestrationContext context, VoiceRequest request, Progress progress)
    {
        progress.Publish(VoiceSteps.Transcribing);
        Transcript transcript;
        try
        {
            transcript = await context.CallActivityAsync<Transcript>(nameof(TranscribeVoice), new TranscriptionRequest(request.Id, request.AudioPath), RetryPolicies.Transcription);
        }
        catch (TaskFailedException e)
        {
            return progress.Fail(VoiceIntentRules.TranscriptionFailed(e.FailureDetails.ErrorMessage));
        }
        if (string.IsNullOrWhiteSpace(transcript.Text)) return progress.Fail(VoiceIntentRules.NothingHeard);
        progress.Publish(VoiceSteps.Transcribed, p => p with { Transcript = transcript.Text });

        var settings = await context.CallActivityAsync<VoiceSettings>(nameof(ReadVoiceSettings), request.Id, RetryPolicies.Engine);
        if (settings.Projects.Count == 0) return progress.Fail(VoiceIntentRules.NoProjects);
        var clarifications = new List<VoiceClarification>();
        VoiceIntent intent;
        IReadOnlyList<string> questions;
        for (var round = 0; ; round++)
        {
            progress.Publish(VoiceSteps.Extracting);
            var check = await ExtractAsync(context, request, transcript.Text, settings, clarifications);
            if (!check.IsValid) return progress.Fail(VoiceIntentRules.NotUnderstood(check.Errors));
            intent = check.Intent!;
            questions = VoiceIntentRules.QuestionsFor(intent, settings);
            if (questions.Count == 0 || round >= settings.MaxClarificationRounds) break;

            var key = context.NewGuid().ToString("N");
            progress.Publish(VoiceSteps.ClarificationNeeded, p => p with { Questions = questions, EscalationKey = key });
            var answer = await context.CallSubOrchestratorAsync<EscalationOutcome>(nameof(EscalationOrchestration),
                VoiceIntentRules.ClarificationRequest(request, transcript.Text, intent, questions),
                new SubOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(key) });
            if (answer.Action != EscalationActions.Answer || string.IsNullOrWhiteSpace(answer.Text))
                return progress.Fail(VoiceIntentRules.NotAnswered(answer));
            clarifications.Add(new VoiceClarification(questions, answer.Text, answer.By));
            progress.Publish(VoiceSteps.Clarified);
        }
        if (intent.Project.Length == 0) return progress.Fail("No Jira project could be told for the request, and none is configured as the default (Voice__DefaultProject).");

        progress.Publish(VoiceSteps.CreatingTicket);
        VoiceTicket ticket;
        try
        {
            ticket = await context.CallActivityAsync<VoiceTicket>(nameof(CreateVoiceTicket),
                new VoiceTicketSpec(request.Id, intent, transcript.Text, clarifications, questions, request.SubmittedBy, request.SubmittedAt), RetryPolicies.Jira);
        }
        catch (TaskFailedException e)
        {
            return progress.Fail(VoiceIntentRules.TicketFailed(e.FailureDetails.ErrorMessage));
        }

        var (issueUrl, note) = await DispatchAsync(context, request, intent, ticket, settings, questions);
        progress.Publish(VoiceSteps.Completed, p => p with { TicketKey = ticket.Key, TicketUrl = ticket.Url, GitHubIssueUrl = issueUrl, Reason = note });
        return new VoiceOutcome(request.Id, VoiceSteps.Completed, ticket.Key, ticket.Url, issueUrl, note);
    }

    /// <summary>The GitHub issue when dispatching is on and the request is clear; else why not (null when it is off).</summary>
    static async Task<(string? IssueUrl, string? Note)> DispatchAsync(TaskOrchestrationContext context, VoiceRequest request, VoiceIntent intent,
        VoiceTicket ticket, VoiceSettings settings, IReadOnlyList<string> openQuestions)
    {
        if (!settings.AutoDispatch) return (null, null);
        if (openQuestions.Count > 0) return (null, $"Not dispatched to GitHub: questions are still open on {ticket.Key}.");
        var repository = settings.Projects.FirstOrDefault(p => p.Key == intent.Project)?.Repositories.FirstOrDefault();
        if (repository is null) return (null, $"Not dispatched to GitHub: Jira project {intent.Project} has no repository (Jira__Projects__{intent.Project}__Repository).");
        try
        {
            var issue = await context.CallActivityAsync<CreatedIssue>(nameof(EnsurePlannedIssue),
                VoiceIntentRules.IssueFor(request.Id, intent, ticket, repository), RetryPolicies.GitHub);
            return (issue.HtmlUrl, null);
        }
        catch (TaskFailedException e)
        {
            return (null, $"The ticket was filed, but the GitHub issue could not be created: {e.FailureDetails.ErrorMessage}");
        }
    }

    /// <summary>Asks the model until an answer is a valid intent, feeding each answer's errors back; returns the last check.</summary>
    static async Task<IntentCheck> ExtractAsync(TaskOrchestrationContext context, VoiceRequest request, string transcript, VoiceSettings settings,
        IReadOnlyList<VoiceClarification> clarifications)
    {
        var check = new IntentCheck(null, []);
        for (var attempt = 1; attempt <= VoiceIntentRules.MaxExtractAttempts; attempt++)
        {
            string answer;
            try
            {
                answer = await context.CallActivityAsync<string>(nameof(ExtractVoiceIntent),
                    new IntentDraftRequest(transcript, settings.Projects, request.Project, [.. clarifications], check.Errors), RetryPolicies.LlmCall);
            }
            catch (TaskFailedException e)
            {
                return new IntentCheck(null, [$"the model could not be asked: {e.FailureDetails.ErrorMessage}"]);
            }
            check = VoiceIntentRules.Validate(answer, settings, request.Project);
            if (check.IsValid) return check;
        }
        return check;
    }

    /// <summary>Publishes each step in the custom status as it is reached.</summary>
    sealed class Progress(TaskOrchestrationContext context, string id)
    {
        VoiceStatus status = new(id, []);

        public void Publish(string step, Func<VoiceProgress, VoiceProgress>? details = null)
        {
            status = status.With(step, context.CurrentUtcDateTime, details);
            context.SetCustomStatus(status);
        }

        public VoiceOutcome Fail(string reason)
        {
            Publish(VoiceSteps.Failed, p => p with { Reason = reason });
            return new VoiceOutcome(id, VoiceSteps.Failed, null, null, null, reason);
        }
    }
}
