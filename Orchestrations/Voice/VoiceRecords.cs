namespace Baton.Orchestrations.Voice;

/// <summary>The settings a request is handled with, read once by an activity (so a replay sees the same ones).</summary>
/// <param name="Projects">The Jira projects a spoken request may go to (<c>Jira__Projects__{KEY}__…</c>).</param>
/// <param name="DefaultProject">The project when the speaker names none (<c>Voice__DefaultProject</c>).</param>
public sealed record VoiceSettings(
    IReadOnlyList<VoiceProject> Projects,
    string? DefaultProject,
    double MinConfidence,
    int MaxClarificationRounds,
    bool AutoDispatch);

/// <summary>A Jira project and the GitHub repositories its work is built in (the first takes dispatched issues).</summary>
public sealed record VoiceProject(string Key, IReadOnlyList<string> Repositories);

/// <summary>What the model is asked: the transcript, the answers so far, and the last answer's errors.</summary>
/// <param name="ChosenProject">The project the speaker picked on the page; the model is told to keep it.</param>
public sealed record IntentDraftRequest(
    string Transcript,
    IReadOnlyList<VoiceProject> Projects,
    string? ChosenProject,
    IReadOnlyList<VoiceClarification> Clarifications,
    IReadOnlyList<string> Errors);

/// <summary>A validated intent, or why the answer is not one.</summary>
public sealed record IntentCheck(VoiceIntent? Intent, IReadOnlyList<string> Errors)
{
    public bool IsValid => Intent is not null && Errors.Count == 0;
}

/// <summary>Asks for the Jira ticket of request <paramref name="VoiceId"/>, found again by its label or created.</summary>
/// <param name="OpenQuestions">Questions still unanswered after the last round: listed in the ticket, which is then not dispatched.</param>
public sealed record VoiceTicketSpec(
    string VoiceId,
    VoiceIntent Intent,
    string Transcript,
    IReadOnlyList<VoiceClarification> Clarifications,
    IReadOnlyList<string> OpenQuestions,
    string SubmittedBy,
    DateTime SubmittedAt);

/// <summary>The Jira ticket a spoken request became.</summary>
public sealed record VoiceTicket(string Key, string Url);
