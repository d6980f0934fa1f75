using Baton.Activities.Features;
using Baton.Activities.Jira;
using Baton.Activities.Ollama;
using Baton.Activities.Transcription;
using Baton.Activities.Voice;
using Baton.Failures;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Voice;

/// <summary>A spoken request's life on a mocked SDK context: heard, understood (asking the speaker while it is
/// ambiguous), filed in Jira and dispatched to GitHub — and every way it ends early, each with a reason and its audio gone.</summary>
public sealed class VoiceIntakeOrchestrationTests
{
    static readonly DateTime Start = new(2026, 12, 3, 9, 0, 0, DateTimeKind.Utc);
    const string Id = "0123456789abcdef0123456789abcdef";
    static readonly VoiceRequest Request = new(Id, $"/tmp/voice/{Id}.upload", "webm", 48_000, "ada", Start);

    sealed class Harness
    {
        readonly Queue<string> answers;

        public Harness(string transcript, VoiceSettings? settings = null, Func<string>? transcribeFailure = null, params string[] modelAnswers)
        {
            answers = new(modelAnswers);
            Context = new MockOrchestrationContext(nameof(VoiceIntakeOrchestration), VoiceIds.InstanceIdFor(Id), Start)
                .OnActivity(nameof(TranscribeVoice), (TranscriptionRequest r) => transcribeFailure is null
                    ? new Transcript(transcript, "en", 4.2, "openai")
                    : throw new ClassifiedFailureException(FailureClass.Permanent, transcribeFailure()))
                .OnActivity(nameof(ReadVoiceSettings), (string _) => settings ?? VoiceIntents.Settings)
                .OnActivity(nameof(ExtractVoiceIntent), (IntentDraftRequest _) => answers.Dequeue())
                .OnActivity(nameof(CreateVoiceTicket), (VoiceTicketSpec s) => new VoiceTicket($"{s.Intent.Project}-7", $"https://jira.example/browse/{s.Intent.Project}-7"))
                .OnActivity(nameof(EnsurePlannedIssue), (PlannedIssueSpec s) => new CreatedIssue(s.PlanId, s.Repository, 12, 1012, $"https://github.example/{s.Repository}/issues/12"))
                .OnActivity(nameof(DiscardVoiceAudio), (TranscriptionRequest _) => true);
            Run = Context.Start(new VoiceIntakeOrchestration(), Request);
        }

        public MockOrchestrationContext Context { get; }

        public OrchestrationRun<VoiceOutcome> Run { get; }

        public VoiceStatus Status => Assert.IsType<VoiceStatus>(Context.CustomStatus);

        public IReadOnlyList<string> Steps => [.. Status.Events.Select(e => e.Step)];

        public SubOrchestrationCall Pending => Context.SubOrchestrations.Single(s => !s.IsDone);

        public void Answer(string action, string? text) =>
            Assert.True(Context.CompleteSubOrchestration(Pending.InstanceId, new EscalationOutcome(action, text, "ada", "voice", Start)));

        public IReadOnlyList<IntentDraftRequest> Drafts => [.. Context.Calls.Where(c => c.Name == nameof(ExtractVoiceIntent)).Select(c => c.InputAs<IntentDraftRequest>())];

        public T Input<T>(string activity) => Context.Calls.Single(c => c.Name == activity).InputAs<T>();
    }

    [Fact]
    public void A_clear_request_is_filed_and_dispatched_with_every_step_published_in_order()
    {
        var voice = new Harness("Add a dark mode toggle to the settings page, high priority.", modelAnswers: VoiceIntents.Clear);

        var outcome = voice.Run.Output;
        Assert.Equal((VoiceSteps.Completed, "SHOP-7", "https://github.example/acme/shop/issues/12", null), (outcome.Step, outcome.TicketKey, outcome.GitHubIssueUrl, outcome.Reason));
        Assert.Equal([VoiceSteps.Transcribing, VoiceSteps.Transcribed, VoiceSteps.Extracting, VoiceSteps.CreatingTicket, VoiceSteps.Completed], voice.Steps);
        Assert.Equal(Enumerable.Range(1, 5), voice.Status.Events.Select(e => e.Seq));
        Assert.Equal("Add a dark mode toggle to the settings page, high priority.", voice.Status.Latest(VoiceSteps.Transcribed)!.Transcript);
        Assert.Equal(("SHOP-7", "https://jira.example/browse/SHOP-7"), (voice.Status.Events[^1].TicketKey, voice.Status.Events[^1].TicketUrl));

        var ticket = voice.Input<VoiceTicketSpec>(nameof(CreateVoiceTicket));
        Assert.Equal((Id, "SHOP", "high", "ada"), (ticket.VoiceId, ticket.Intent.Project, ticket.Intent.Priority, ticket.SubmittedBy));
        Assert.Empty(ticket.OpenQuestions);
        var issue = voice.Input<PlannedIssueSpec>(nameof(EnsurePlannedIssue));
        Assert.Equal(("acme/shop", null), (issue.Repository, issue.Milestone));
        Assert.Equal([BoardLabelsApproved, "high-priority"], issue.Labels);
        Assert.Contains(VoiceIntentRules.IssueMarker(Id), issue.Body, StringComparison.Ordinal);
        Assert.Contains("[SHOP-7](https://jira.example/browse/SHOP-7)", issue.Body, StringComparison.Ordinal);
        Assert.Equal(nameof(DiscardVoiceAudio), voice.Context.CallNames[^1]);
    }

    const string BoardLabelsApproved = Baton.Orchestrations.Conductor.BoardLabels.Approved;

    [Fact]
    public void An_ambiguous_request_asks_the_speaker_through_an_escalation_and_files_the_ticket_with_the_answer()
    {
        var voice = new Harness("Make it better.", modelAnswers: [VoiceIntents.Vague, VoiceIntents.Clear]);

        Assert.False(voice.Run.IsFinished);
        Assert.Equal(VoiceSteps.ClarificationNeeded, voice.Status.Step);
        var asked = voice.Status.Events[^1];
        Assert.Equal(["What should be better?", "Which page?"], asked.Questions);
        Assert.Equal(EscalationIds.InstanceIdFor(asked.EscalationKey!), voice.Pending.InstanceId);
        Assert.Equal(asked.EscalationKey, voice.Status.OpenEscalationKey);
        var escalation = voice.Pending.InputAs<EscalationRequest>();
        Assert.Equal((VoiceIntakeOrchestration.EscalationKind, nameof(EscalationOrchestration)), (escalation.Kind, voice.Pending.Name));
        Assert.Equal([EscalationActions.Answer, EscalationActions.Stop], escalation.Actions);
        Assert.Contains("Which page?", escalation.Body, StringComparison.Ordinal);
        Assert.Contains("> Make it better.", escalation.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(CreateVoiceTicket), voice.Context.CallNames);

        voice.Answer(EscalationActions.Answer, "The settings page: it needs a dark mode.");

        Assert.Equal(VoiceSteps.Completed, voice.Run.Output.Step);
        Assert.Null(voice.Status.OpenEscalationKey);
        Assert.Equal([VoiceSteps.Transcribing, VoiceSteps.Transcribed, VoiceSteps.Extracting, VoiceSteps.ClarificationNeeded, VoiceSteps.Clarified,
            VoiceSteps.Extracting, VoiceSteps.CreatingTicket, VoiceSteps.Completed], voice.Steps);
        var second = voice.Drafts[1].Clarifications.Single();
        Assert.Equal(("The settings page: it needs a dark mode.", "ada"), (second.Answer, second.By));
        Assert.Equal(["What should be better?", "Which page?"], second.Questions);
        Assert.Single(voice.Input<VoiceTicketSpec>(nameof(CreateVoiceTicket)).Clarifications);
    }

    [Fact]
    public void Silence_fails_with_a_reason_before_the_model_is_asked_and_the_audio_is_discarded()
    {
        var voice = new Harness("   ");

        Assert.Equal((VoiceSteps.Failed, VoiceIntentRules.NothingHeard), (voice.Run.Output.Step, voice.Run.Output.Reason));
        Assert.Equal(VoiceIntentRules.NothingHeard, voice.Status.Events[^1].Reason);
        Assert.Equal([nameof(TranscribeVoice), nameof(DiscardVoiceAudio)], voice.Context.CallNames);
    }

    [Fact]
    public void A_recording_that_cannot_be_transcribed_fails_with_the_providers_reason()
    {
        var voice = new Harness("", transcribeFailure: () => "the recording could not be decoded: Invalid data found when processing input");

        Assert.Equal(VoiceSteps.Failed, voice.Run.Output.Step);
        Assert.Equal("The recording could not be transcribed: the recording could not be decoded: Invalid data found when processing input", voice.Run.Output.Reason);
        Assert.Equal(nameof(DiscardVoiceAudio), voice.Context.CallNames[^1]);
    }

    [Fact]
    public void Answers_that_are_not_an_intent_are_retried_with_their_errors_then_the_request_fails()
    {
        var voice = new Harness("Add dark mode.", modelAnswers: ["not json", "{\"project\": 3}", VoiceIntents.Json(project: "NOPE")]);

        Assert.Equal(VoiceSteps.Failed, voice.Run.Output.Step);
        Assert.StartsWith("The model did not turn the request into a ticket after 3 answers", voice.Run.Output.Reason, StringComparison.Ordinal);
        Assert.Contains("NOPE", voice.Run.Output.Reason, StringComparison.Ordinal);
        Assert.Equal(3, voice.Drafts.Count);
        Assert.Empty(voice.Drafts[0].Errors);
        Assert.StartsWith("The answer is not JSON", voice.Drafts[1].Errors.Single(), StringComparison.Ordinal);
        Assert.NotEmpty(voice.Drafts[2].Errors);
        Assert.DoesNotContain(nameof(CreateVoiceTicket), voice.Context.CallNames);
    }

    [Fact]
    public void A_stopped_or_unanswered_clarification_files_nothing()
    {
        var stopped = new Harness("Make it better.", modelAnswers: VoiceIntents.Vague);
        stopped.Answer(EscalationActions.Stop, null);
        Assert.Equal(("failed", "Stopped by ada while waiting for an answer; no ticket was filed."), (stopped.Run.Output.Step, stopped.Run.Output.Reason));

        var unanswered = new Harness("Make it better.", modelAnswers: VoiceIntents.Vague);
        Assert.True(unanswered.Context.CompleteSubOrchestration(unanswered.Pending.InstanceId, new EscalationOutcome(EscalationActions.Stop, null, "timeout", "timeout", Start)));
        Assert.StartsWith("Nobody answered the questions in time", unanswered.Run.Output.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(nameof(CreateVoiceTicket), unanswered.Context.CallNames);
        Assert.Equal(nameof(DiscardVoiceAudio), unanswered.Context.CallNames[^1]);
    }

    [Fact]
    public void Still_ambiguous_after_the_last_round_files_the_ticket_with_its_open_questions_and_does_not_dispatch_it()
    {
        var settings = VoiceIntents.Settings with { MaxClarificationRounds = 1 };
        var voice = new Harness("Make it better.", settings, modelAnswers: [VoiceIntents.Vague, VoiceIntents.Vague]);
        voice.Answer(EscalationActions.Answer, "Everything.");

        var outcome = voice.Run.Output;
        Assert.Equal((VoiceSteps.Completed, "SHOP-7", null), (outcome.Step, outcome.TicketKey, outcome.GitHubIssueUrl));
        Assert.Equal("Not dispatched to GitHub: questions are still open on SHOP-7.", outcome.Reason);
        Assert.Equal(["What should be better?", "Which page?"], voice.Input<VoiceTicketSpec>(nameof(CreateVoiceTicket)).OpenQuestions);
        Assert.DoesNotContain(nameof(EnsurePlannedIssue), voice.Context.CallNames);
        Assert.Single(voice.Context.SubOrchestrations);
    }

    [Fact]
    public void Without_a_project_the_speaker_is_asked_which_one_and_a_project_without_repository_is_not_dispatched()
    {
        var voice = new Harness("Rotate the database passwords.", modelAnswers: [VoiceIntents.Json(project: "", issueType: "Task"), VoiceIntents.Json(project: "OPS", issueType: "Task")]);

        Assert.Equal(["Which project is this for: SHOP, OPS?"], voice.Status.Events[^1].Questions);
        voice.Answer(EscalationActions.Answer, "Ops.");

        Assert.Equal(("OPS-7", "Not dispatched to GitHub: Jira project OPS has no repository (Jira__Projects__OPS__Repository)."), (voice.Run.Output.TicketKey, voice.Run.Output.Reason));
    }

    [Fact]
    public void Without_any_Jira_project_the_request_fails_before_the_model_is_asked()
    {
        var voice = new Harness("Add dark mode.", VoiceIntents.Settings with { Projects = [] }, modelAnswers: VoiceIntents.Clear);

        Assert.Equal((VoiceSteps.Failed, VoiceIntentRules.NoProjects), (voice.Run.Output.Step, voice.Run.Output.Reason));
        Assert.DoesNotContain(nameof(ExtractVoiceIntent), voice.Context.CallNames);
    }

    [Fact]
    public void With_dispatch_off_only_the_ticket_is_filed()
    {
        var voice = new Harness("Add dark mode.", VoiceIntents.Settings with { AutoDispatch = false }, modelAnswers: VoiceIntents.Clear);

        Assert.Equal(("SHOP-7", null, null), (voice.Run.Output.TicketKey, voice.Run.Output.GitHubIssueUrl, voice.Run.Output.Reason));
        Assert.DoesNotContain(nameof(EnsurePlannedIssue), voice.Context.CallNames);
    }
}
