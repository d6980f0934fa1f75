using Baton.Orchestrations.Conductor;

namespace Baton.Orchestrations.Escalations;

/// <summary>
/// The contract of an escalation (ARCHITECTURE.md §2.4): a question to people that an <see cref="EscalationOrchestration"/>
/// keeps open until an allowed person answers, reminds about, climbs a ladder with, and settles with a default at its final
/// timeout. Entry points that let people answer (Discord buttons and modals, the dashboard) go through
/// <c>EscalationDesk</c>; the pipeline starts escalations as sub-orchestrations and resumes with their outcome.
/// </summary>
public static class EscalationIds
{
    /// <summary>Instance ids are <c>escalation:</c> and 32 hex digits (the parent's deterministic GUID), short enough
    /// for a Discord <c>custom_id</c> (100 characters) together with an action.</summary>
    public const string InstanceIdPrefix = "escalation:";

    public static string InstanceIdFor(string key) => InstanceIdPrefix + key;

    /// <summary>The key part of an instance id, or null when the id is not an escalation's.</summary>
    public static string? KeyOf(string instanceId) =>
        instanceId.StartsWith(InstanceIdPrefix, StringComparison.Ordinal) && instanceId.Length > InstanceIdPrefix.Length
            ? instanceId[InstanceIdPrefix.Length..]
            : null;

    /// <summary>A Discord component id: <c>baton:{action}:{key}</c>.</summary>
    public static string ComponentId(string action, string key) => $"baton:{action}:{key}";

    /// <summary>Parses <see cref="ComponentId"/>; null for anything else.</summary>
    public static (string Action, string Key)? ParseComponentId(string? customId) =>
        customId?.Split(':') is ["baton", var action, var key] && action.Length > 0 && IsKey(key) ? (action, key) : null;

    static bool IsKey(string key) => key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}

/// <summary>What a person can do with an escalation. Each escalation offers a subset (<see cref="EscalationRequest.Actions"/>).</summary>
public static class EscalationActions
{
    /// <summary>Free text (a Discord modal, a dashboard text box): the agent's question is answered with it.</summary>
    public const string Answer = "answer";

    /// <summary>A human gate: approve the pull request's head as it is at the moment of the click.</summary>
    public const string Approve = "approve";

    /// <summary>A human gate: reject, with a reason.</summary>
    public const string Reject = "reject";

    /// <summary>Try again (another self-heal round, review round or agent run), optionally with guidance text.</summary>
    public const string Retry = "retry";

    /// <summary>Give up: the issue stays <c>needs-human</c>.</summary>
    public const string Stop = "stop";

    /// <summary>Actions whose button opens a modal for text (a reject's reason is asked for too, but optional).</summary>
    public static bool TakesText(string action) => action is Answer or Reject or Retry;
}

/// <summary>Event names an <see cref="EscalationOrchestration"/> waits for.</summary>
public static class EscalationEvents
{
    /// <summary>A person's <see cref="EscalationAnswer"/>. The first valid one settles the escalation; later ones change nothing.</summary>
    public const string Answer = "EscalationAnswer";

    /// <summary>The asker no longer needs an answer (payload: <see cref="EscalationWithdrawal"/>): a gate satisfied by an
    /// approving GitHub review, voided by a push, or the issue closed.</summary>
    public const string Withdraw = "EscalationWithdraw";
}

/// <summary>Why the pipeline needs a person. <see cref="Kind"/> picks the reminder schedule, ladder and timeout default
/// (<c>Escalation__Kinds__{kind}__…</c>); kinds: question, gate, ci-red, ci-timeout, review-rounds, review-failed,
/// budget-cost, budget-runs, agent-failed, agent-no-push, merge, plan, plan-failed.</summary>
/// <param name="Kind">The kind, as above.</param>
/// <param name="Subject">What it is about, for people: <c>owner/repo#12</c>.</param>
/// <param name="Title">One line.</param>
/// <param name="Body">Markdown, for people: what happened and what each action does. Never a secret or a stack trace.</param>
/// <param name="Actions">What may be done (<see cref="EscalationActions"/>), in button order.</param>
/// <param name="Issue">The GitHub issue to comment on and link.</param>
/// <param name="PullRequest">The pull request to link (and, for a gate, to pin to).</param>
/// <param name="HeadSha">A gate's head: an approval counts only while the pull request's head is this commit.</param>
/// <param name="Approvers">GitHub logins allowed to answer from GitHub or the dashboard (Discord has its own allow-list).</param>
public sealed record EscalationRequest(
    string Kind,
    string Subject,
    string Title,
    string Body,
    IReadOnlyList<string> Actions,
    IssueRef? Issue,
    int? PullRequest,
    string? HeadSha,
    IReadOnlyList<string> Approvers)
{
    /// <summary>Where on Baton's own pages the question can be answered too: a path under <c>Baton__PublicUrl</c>
    /// (<c>voice?request=…</c>), linked from the notification when that address is known.</summary>
    public string? PagePath { get; init; }
}

/// <summary>A person's answer, raised as <see cref="EscalationEvents.Answer"/> by an entry point that has already checked
/// who the person is and that they may answer.</summary>
/// <param name="Action">One of the escalation's <see cref="EscalationRequest.Actions"/>.</param>
/// <param name="Text">The free text (answer, reason, guidance), if any.</param>
/// <param name="By">Who, for people: a GitHub login, or a Discord name.</param>
/// <param name="Via">discord, dashboard or github.</param>
/// <param name="At">When the person acted (the entry point's clock).</param>
public sealed record EscalationAnswer(string Action, string? Text, string By, string Via, DateTime At)
{
    /// <summary>The GitHub login the person maps to, if known (a gate names its approver with it).</summary>
    public string? GitHubLogin { get; init; }

    /// <summary>The pull request's head at the moment of an approval or rejection (read by the entry point).</summary>
    public string? HeadSha { get; init; }
}

/// <summary>The asker no longer waits (<see cref="EscalationEvents.Withdraw"/>).</summary>
public sealed record EscalationWithdrawal(string Reason);

/// <summary>How an escalation ended: the winning answer, the default taken at the final timeout, or a withdrawal.</summary>
/// <param name="Action">The action taken (a timeout's default action, or <c>withdrawn</c>).</param>
/// <param name="Text">The person's text, or why it was withdrawn.</param>
/// <param name="By">Who decided (<c>timeout</c> for the default, <c>baton</c> for a withdrawal).</param>
/// <param name="Via">discord, dashboard, github, timeout or withdrawn.</param>
/// <param name="At">When it was decided (orchestration time).</param>
public sealed record EscalationOutcome(string Action, string? Text, string By, string Via, DateTime At)
{
    public const string Withdrawn = "withdrawn";

    public string? GitHubLogin { get; init; }
    public string? HeadSha { get; init; }
    public bool TimedOut => Via == "timeout";
}

/// <summary>An escalation's custom status: what the dashboard and <c>/baton status</c> show, and what an entry point
/// reads to say "already resolved by … at …".</summary>
/// <param name="State">waiting, resolved, timed-out or withdrawn.</param>
public sealed record EscalationStatus(string State, EscalationRequest Request, DateTime OpenedAt)
{
    public int Reminders { get; init; }

    /// <summary>How far up the ladder it has climbed (0: the first group).</summary>
    public int Rung { get; init; }

    public DateTime? NextReminderAt { get; init; }
    public DateTime? TimesOutAt { get; init; }

    /// <summary>Set once settled.</summary>
    public EscalationOutcome? Outcome { get; init; }

    public bool IsOpen => State == "waiting";
}
