using System.Text.Json.Serialization;

namespace Baton.Orchestrations.Voice;

/// <summary>
/// The contract of a spoken request (ARCHITECTURE.md §2.5): <c>POST /api/voice</c> stores the audio and starts a
/// <see cref="VoiceIntakeOrchestration"/> under <c>voice:{id}</c>; the orchestration publishes its progress as its custom
/// status (<see cref="VoiceStatus"/>), which <c>GET /api/voice/{id}</c> and the server-sent events of
/// <c>GET /api/voice/{id}/events</c> read; a clarification is an escalation (kind <see cref="VoiceIntakeOrchestration.EscalationKind"/>)
/// answered through the escalation desk, from <c>POST /api/voice/{id}/clarify</c>, the recorder page, Discord or the dashboard.
/// </summary>
public static class VoiceIds
{
    public const string InstanceIdPrefix = "voice:";

    /// <summary>A new request id: 32 lowercase hex digits.</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    public static string InstanceIdFor(string id) => InstanceIdPrefix + id;

    /// <summary>Whether <paramref name="id"/> has the shape <see cref="NewId"/> makes (so a path segment can be trusted as a file name).</summary>
    public static bool IsId(string? id) => id is { Length: 32 } && id.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');
}

/// <summary>The steps a spoken request goes through, as its progress events name them (and the SSE <c>event:</c> field).</summary>
public static class VoiceSteps
{
    public const string Received = "received";
    public const string Transcribing = "transcribing";
    public const string Transcribed = "transcribed";
    public const string Extracting = "extracting";
    public const string ClarificationNeeded = "clarification_needed";
    public const string Clarified = "clarified";
    public const string CreatingTicket = "creating_ticket";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static bool IsFinal(string step) => step is Completed or Failed;
}

/// <summary>What the upload hands the orchestration.</summary>
/// <param name="Id">The request id (<see cref="VoiceIds.NewId"/>).</param>
/// <param name="AudioPath">The stored upload, as received (any recognised container); the transcription step converts it.</param>
/// <param name="Format">The container recognised from its bytes: wav, mp3, ogg, webm or m4a.</param>
/// <param name="Bytes">The upload's size.</param>
/// <param name="SubmittedBy">Who sent it, for people: an API key's name or a dashboard login.</param>
/// <param name="SubmittedAt">When the upload finished (the entry point's clock).</param>
/// <param name="Project">The Jira project the speaker chose on the page, if any; else the model picks one of the configured ones.</param>
public sealed record VoiceRequest(string Id, string AudioPath, string Format, long Bytes, string SubmittedBy, DateTime SubmittedAt, string? Project = null);

/// <summary>One progress event. <see cref="Seq"/> counts from 1 and is the SSE event id, so a reconnecting client
/// (<c>Last-Event-ID</c>) gets only what it missed.</summary>
public sealed record VoiceProgress(int Seq, string Step, DateTime At)
{
    /// <summary><see cref="VoiceSteps.Transcribed"/>: what was heard.</summary>
    public string? Transcript { get; init; }

    /// <summary><see cref="VoiceSteps.ClarificationNeeded"/>: what the speaker is asked.</summary>
    public IReadOnlyList<string>? Questions { get; init; }

    /// <summary><see cref="VoiceSteps.ClarificationNeeded"/>: the escalation that takes the answer.</summary>
    public string? EscalationKey { get; init; }

    /// <summary><see cref="VoiceSteps.Completed"/>: the Jira ticket.</summary>
    public string? TicketKey { get; init; }

    public string? TicketUrl { get; init; }

    /// <summary><see cref="VoiceSteps.Completed"/>: the GitHub issue, when one was created (<c>Voice__AutoDispatch</c>).</summary>
    public string? GitHubIssueUrl { get; init; }

    /// <summary><see cref="VoiceSteps.Failed"/>: why, in words a person can act on; <see cref="VoiceSteps.Completed"/>: a note
    /// (for example why no GitHub issue was created).</summary>
    public string? Reason { get; init; }
}

/// <summary>A spoken request's custom status: every progress event so far, oldest first (a request has a handful).</summary>
public sealed record VoiceStatus(string Id, IReadOnlyList<VoiceProgress> Events)
{
    public string Step => Events.Count == 0 ? VoiceSteps.Received : Events[^1].Step;

    public bool IsFinished => VoiceSteps.IsFinal(Step);

    /// <summary>The latest event of <paramref name="step"/>, if any.</summary>
    public VoiceProgress? Latest(string step) => Events.LastOrDefault(e => e.Step == step);

    /// <summary>The escalation to answer while the request waits for a clarification; null otherwise.</summary>
    public string? OpenEscalationKey => Step == VoiceSteps.ClarificationNeeded ? Events[^1].EscalationKey : null;

    public VoiceStatus With(string step, DateTime at, Func<VoiceProgress, VoiceProgress>? details = null)
    {
        var next = new VoiceProgress(Events.Count + 1, step, at);
        return this with { Events = [.. Events, details is null ? next : details(next)] };
    }
}

/// <summary>How a spoken request ended (the orchestration's output; the same facts are in its last progress event).</summary>
public sealed record VoiceOutcome(string Id, string Step, string? TicketKey, string? TicketUrl, string? GitHubIssueUrl, string? Reason);

/// <summary>What the model understood (validated by <see cref="VoiceIntentRules"/>).</summary>
/// <param name="Project">A configured Jira project key.</param>
/// <param name="IssueType">Story, Bug or Task.</param>
/// <param name="Priority">critical, high or normal (the board's priorities).</param>
/// <param name="Confidence">0 to 1: how sure the model is that it understood.</param>
/// <param name="Questions">What it would ask the speaker; empty when the request is clear.</param>
public sealed record VoiceIntent(
    [property: JsonPropertyName("project")] string Project,
    [property: JsonPropertyName("issue_type")] string IssueType,
    [property: JsonPropertyName("priority")] string Priority,
    [property: JsonPropertyName("summary")] string Summary,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("acceptance_criteria")] IReadOnlyList<string> AcceptanceCriteria,
    [property: JsonPropertyName("confidence")] double Confidence,
    [property: JsonPropertyName("questions")] IReadOnlyList<string> Questions);

/// <summary>A question the speaker answered, fed back to the model on the next extraction.</summary>
public sealed record VoiceClarification(IReadOnlyList<string> Questions, string Answer, string By);
