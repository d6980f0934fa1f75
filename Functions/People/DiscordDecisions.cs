using System.Globalization;
using Baton.Activities.GitHub;
using Baton.Failures;
using Baton.Orchestrations.Escalations;
using Baton.Webhooks.Discord;

namespace Baton.Functions.People;

/// <summary>
/// Buttons and modals on escalation and gate messages, answered through the <see cref="EscalationDesk"/>. Everything that
/// changes state happens only after the allow-list check; a refusal, a stale button or a lost race changes nothing and
/// is told only to the person who clicked (ephemeral). Each answer is given within Discord's 3 seconds: the desk waits at
/// most <see cref="DiscordInteractionOptions.SettleWait"/> for the escalation to settle, and otherwise says "applying".
/// </summary>
public sealed class DiscordDecisions(
    EscalationDesk desk, GitHubClient gitHub, DiscordApprovers approvers, DiscordInteractionOptions options, TimeProvider clock,
    ILogger<DiscordDecisions> logger)
{
    public const string Via = "discord";

    /// <summary>A button: actions that take text open a modal (nothing changes yet); others answer at once.</summary>
    public async Task<DiscordInteractionResponse> ClickAsync(DiscordInteraction.Component click, CancellationToken cancellationToken)
    {
        if (EscalationIds.ParseComponentId(click.CustomId) is not (var action, var key))
            return DiscordInteractionResponse.EphemeralMessage("This button is not one of Baton's.");
        if (approvers.Find(click.Actor.UserId, click.Actor.RoleIds) is not { } approver)
            return Refuse(click.Actor, action, key);
        if (!EscalationActions.TakesText(action))
            return await AnswerAsync(click.Actor, approver, action, key, text: null, cancellationToken);

        // A modal on a settled question would only be refused on submit: say so now, before the person types.
        var current = await desk.GetAsync(key, cancellationToken);
        return current switch
        {
            null => Explain(new DeskResult(DeskVerdict.NotFound), action),
            { IsOpen: false } => Explain(new DeskResult(DeskVerdict.AlreadyResolved, current), action),
            _ when !current.Request.Actions.Contains(action, StringComparer.Ordinal) => Explain(new DeskResult(DeskVerdict.NotOffered, current), action),
            _ => DiscordInteractionResponse.TextModal(click.CustomId, $"{Title(action)}: {current.Request.Subject}", PromptFor(action),
                required: action == EscalationActions.Answer),
        };
    }

    /// <summary>A modal opened by <see cref="ClickAsync"/>, submitted: the allow-list is checked again (a modal's
    /// submission is a request of its own).</summary>
    public async Task<DiscordInteractionResponse> SubmitAsync(DiscordInteraction.ModalSubmit submit, CancellationToken cancellationToken)
    {
        if (EscalationIds.ParseComponentId(submit.CustomId) is not (var action, var key))
            return DiscordInteractionResponse.EphemeralMessage("This form is not one of Baton's.");
        if (approvers.Find(submit.Actor.UserId, submit.Actor.RoleIds) is not { } approver)
            return Refuse(submit.Actor, action, key);
        var text = submit.Text.Trim();
        if (action == EscalationActions.Answer && text.Length == 0)
            return DiscordInteractionResponse.EphemeralMessage("An answer needs some text; nothing was sent.");
        return await AnswerAsync(submit.Actor, approver, action, key, text.Length == 0 ? null : text, cancellationToken);
    }

    async Task<DiscordInteractionResponse> AnswerAsync(DiscordActor actor, DiscordApprover approver, string action, string key, string? text,
        CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var answer = new EscalationAnswer(action, text, actor.DisplayName, Via, clock.GetUtcNow().UtcDateTime) { GitHubLogin = approver.GitHubLogin };

        if (action is EscalationActions.Approve or EscalationActions.Reject
            && await desk.GetAsync(key, cancellationToken) is { IsOpen: true, Request: { HeadSha: not null, Issue: { } issue, PullRequest: { } number } })
        {
            // A gate pins its decision to the head the person saw: read it now, at the click, not when the answer is applied.
            if (await ReadHeadAsync(issue.Owner, issue.Repo, number, action, key, cancellationToken) is not { } head)
                return DiscordInteractionResponse.EphemeralMessage(
                    $"Could not read pull request #{number}'s current head from GitHub, so nothing was {Past(action)}. Try again in a moment.");
            answer = answer with { HeadSha = head };
        }

        var settle = options.SettleWait - clock.GetElapsedTime(started);
        var result = await desk.AnswerAsync(key, answer, settle > TimeSpan.Zero ? settle : TimeSpan.Zero, cancellationToken);
        DiscordInteractionLog.Answered(logger, action, actor.UserId, key, result.Verdict.ToString());
        return Explain(result, action);
    }

    static DiscordInteractionResponse Explain(DeskResult result, string action) =>
        result.Verdict switch
        {
            DeskVerdict.Applied => DiscordInteractionResponse.UpdateMessage(Decided(result.Outcome!)),
            DeskVerdict.AlreadyResolved => DiscordInteractionResponse.EphemeralMessage(AlreadyResolved(result.Outcome)),
            DeskVerdict.NotFound => DiscordInteractionResponse.EphemeralMessage("Baton has no such question (it may have been cleaned up); nothing changed."),
            DeskVerdict.NotOffered => DiscordInteractionResponse.EphemeralMessage($"This question does not offer {action}; nothing changed."),
            _ => DiscordInteractionResponse.EphemeralMessage($"Received your {action}; Baton is applying it. The message will show the decision."),
        };

    async Task<string?> ReadHeadAsync(string owner, string repo, int number, string action, string key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.HeadReadTimeout);
        try
        {
            var pull = await gitHub.GetPullRequestAsync(owner, repo, number, timeout.Token);
            return pull.Head.Sha;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            DiscordInteractionLog.HeadUnreadable(logger, action, key, "timed out");
            return null;
        }
        catch (Exception e) when (e is ClassifiedFailureException or HttpRequestException)
        {
            // The documented alternative path: nothing is decided without the head; the person is asked to try again.
            DiscordInteractionLog.HeadUnreadable(logger, action, key, e.GetType().Name);
            return null;
        }
    }

    DiscordInteractionResponse Refuse(DiscordActor actor, string action, string key)
    {
        DiscordInteractionLog.NotAllowed(logger, actor.UserId, action, key);
        return DiscordInteractionResponse.EphemeralMessage("You are not on Baton's approver list, so you cannot answer this; nothing changed.");
    }

    /// <summary>What the message shows once decided: "Approve by Ada at 2026-12-03 15:04 UTC".</summary>
    public static string Decided(EscalationOutcome outcome) =>
        $"**{Title(outcome.Action)}** by {outcome.By} at {When(outcome.At)}" + (outcome.Text is { Length: > 0 } text ? $"\n> {Quote(text)}" : "");

    public static string AlreadyResolved(EscalationOutcome? outcome) => outcome is null
        ? "This question is already resolved; nothing changed."
        : $"Already resolved by {outcome.By} at {When(outcome.At)} ({outcome.Action}); nothing changed.";

    static string When(DateTime at) => at.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    static string Quote(string text) => (text.Length > 1500 ? text[..1500] + "…" : text).Replace("\n", "\n> ", StringComparison.Ordinal);

    static string Title(string action) => action.Length == 0 ? action : char.ToUpperInvariant(action[0]) + action[1..];

    static string Past(string action) => action == EscalationActions.Approve ? "approved" : "rejected";

    static string PromptFor(string action) => action switch
    {
        EscalationActions.Answer => "Your answer",
        EscalationActions.Reject => "Why (optional)",
        _ => "Guidance for the next attempt (optional)",
    };
}
