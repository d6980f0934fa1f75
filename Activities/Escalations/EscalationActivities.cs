using Baton.Activities.GitHub;
using Baton.Activities.Notifications;
using Baton.Hosting;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Microsoft.DurableTask;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Escalations;

/// <summary>One escalation step's input: the escalation's key and what it asks.</summary>
public sealed record EscalationStep(string Key, EscalationRequest Request);

/// <param name="Number">The follow-up's number (reminders plus rungs), which keys its comment and message.</param>
/// <param name="Rung">The ladder's rung climbed, or null for a plain reminder.</param>
public sealed record EscalationReminder(string Key, EscalationRequest Request, int Number, DateTime OpenedAt, EscalationRung? Rung);

public sealed record EscalationClosing(string Key, EscalationRequest Request, EscalationOutcome Outcome, EscalationPlan Plan);

/// <summary>Opens an escalation: reads its plan from <see cref="EscalationOptions"/>, comments on the issue (once, by marker),
/// adds <c>needs-human</c> (a person must act; closing removes it when the work goes on), and sends the message with its
/// buttons. Safe to repeat.</summary>
public sealed class OpenEscalation(EscalationMessages messages, IOptions<EscalationOptions> options) : TaskActivity<EscalationStep, EscalationPlan>
{
    public override async Task<EscalationPlan> RunAsync(TaskActivityContext context, EscalationStep step)
    {
        var plan = options.Value.PlanFor(step.Request.Kind);
        await messages.PostAsync(step.Key, step.Request, marker: $"escalation-{step.Key}", step.Request.Title,
            messages.OpeningText(step.Request, plan), withButtons: true, options.Value.Mentions, needsHuman: true,
            notificationKey: EscalationMessages.OpeningKey(step.Key));
        return plan;
    }
}

/// <summary>A reminder, or a rung of the ladder with its people pinged. Safe to repeat.</summary>
public sealed class RemindEscalation(EscalationMessages messages) : TaskActivity<EscalationReminder, bool>
{
    public override async Task<bool> RunAsync(TaskActivityContext context, EscalationReminder reminder)
    {
        var title = reminder.Rung is { } rung
            ? $"Still waiting, now asking {rung.Name}: {reminder.Request.Title}"
            : $"Reminder: {reminder.Request.Title}";
        await messages.PostAsync(reminder.Key, reminder.Request, marker: $"escalation-{reminder.Key}-reminder-{reminder.Number}", title,
            $"Waiting for an answer since {reminder.OpenedAt:u}.\n\n{reminder.Request.Body}", withButtons: true,
            reminder.Rung?.Mentions ?? [], needsHuman: false, notificationKey: $"escalation:{reminder.Key}:reminder:{reminder.Number}");
        return true;
    }
}

/// <summary>Says how an escalation ended, on the issue and in Discord, where the first message is edited to show who decided
/// what (its buttons gone). A timeout's default is announced as a new message too, so people see it. When the work goes on
/// (answered, approved, sent back, or settled elsewhere) the issue loses <c>needs-human</c>. Safe to repeat.</summary>
public sealed class CloseEscalation(EscalationMessages messages, INotificationChannel notifications, GitHubClient github)
    : TaskActivity<EscalationClosing, bool>
{
    static readonly HashSet<string> WorkGoesOn =
        [EscalationActions.Answer, EscalationActions.Approve, EscalationActions.Retry, EscalationOutcome.Withdrawn];

    public override async Task<bool> RunAsync(TaskActivityContext context, EscalationClosing closing)
    {
        var (key, request, outcome) = (closing.Key, closing.Request, closing.Outcome);
        if (request.Issue is { } issue && !outcome.TimedOut && WorkGoesOn.Contains(outcome.Action))
            await github.RemoveLabelAsync(issue.Owner, issue.Repo, issue.Number, BoardLabels.NeedsHuman, CancellationToken.None);
        var verdict = EscalationMessages.Verdict(outcome);
        if (outcome.Via != EscalationOutcome.Withdrawn)
            await messages.PostAsync(key, request, marker: $"escalation-{key}-closed", $"{request.Title}: {verdict}",
                outcome.Text is { Length: > 0 } text ? $"> {text.Replace("\n", "\n> ")}" : "", withButtons: false, [], needsHuman: false,
                notificationKey: outcome.TimedOut ? $"escalation:{key}:closed" : null);
        await notifications.SendAsync(new Notification("escalation-resolved", $"{request.Title}: {verdict}", request.Body)
        {
            Links = await messages.LinksAsync(request),
            Replaces = EscalationMessages.OpeningKey(key),
        }, $"escalation:{key}:resolved", CancellationToken.None);
        return true;
    }
}

/// <summary>How escalations read for people, and posting them: a comment on the issue (once per marker) and a notification.</summary>
public sealed class EscalationMessages(GitHubClient github, INotificationChannel notifications, IOptions<BatonOptions> baton)
{
    public static string OpeningKey(string key) => $"escalation:{key}";

    public string OpeningText(EscalationRequest request, EscalationPlan plan)
    {
        var ways = new List<string>();
        if (request.Actions.Contains(EscalationActions.Answer) && request.Issue is not null) ways.Add("reply on this issue with `/baton answer <your answer>`");
        if (request.Actions.Contains(EscalationActions.Approve)) ways.Add($"approve the pull request on its current head ({request.HeadSha})");
        ways.Add("use the buttons on Baton's Discord message");
        if (PageUrl(request) is { } page) ways.Add($"answer on {page}");
        if (DashboardUrl is { } dashboard) ways.Add($"answer on the dashboard ({dashboard})");
        var who = request.Approvers.Count == 0 ? "" : $" Allowed: {string.Join(", ", request.Approvers.Select(a => "@" + a.TrimStart('@')))}.";
        return $"{request.Body}\n\nTo answer, {string.Join(", or ", ways)}.{who} Without an answer Baton reminds people every " +
               $"{plan.ReminderEvery} and after {plan.FinalTimeout} will {Describe(plan.DefaultAction)}.";
    }

    public static string Verdict(EscalationOutcome outcome) => outcome.Via switch
    {
        "timeout" => $"nobody answered, so Baton chose to {Describe(outcome.Action)}",
        EscalationOutcome.Withdrawn => $"no longer needed ({outcome.Text})",
        _ => $"{Past(outcome.Action)} by {outcome.By} via {outcome.Via} at {outcome.At:u}",
    };

    static string Describe(string action) => action switch
    {
        EscalationActions.Reject => "reject the change and close the pull request",
        _ => "stop and leave it marked needs-human",
    };

    static string Past(string action) => action switch
    {
        EscalationActions.Answer => "answered",
        EscalationActions.Approve => "approved",
        EscalationActions.Reject => "rejected",
        EscalationActions.Retry => "sent back to the agent",
        EscalationActions.Stop => "stopped",
        _ => action,
    };

    string? DashboardUrl => baton.Value.PublicUrl is { Length: > 0 } url ? url.TrimEnd('/') + "/" : null;

    /// <summary>The escalation's own page (<see cref="EscalationRequest.PagePath"/>) under Baton's public address, if both are known.</summary>
    string? PageUrl(EscalationRequest request) => request.PagePath is { Length: > 0 } path && DashboardUrl is { } root ? root + path.TrimStart('/') : null;

    /// <summary>Comments on the issue (once per <paramref name="marker"/>) and sends the notification under
    /// <paramref name="notificationKey"/> (none when null).</summary>
    public async Task PostAsync(string key, EscalationRequest request, string marker, string title, string body, bool withButtons,
        IReadOnlyList<string> mentions, bool needsHuman, string? notificationKey)
    {
        string? link = null;
        if (request.Issue is { } issue)
        {
            if (needsHuman) await github.EnsureLabelAsync(issue.Owner, issue.Repo, issue.Number, BoardLabels.NeedsHuman, CancellationToken.None);
            var comment = await github.CreateCommentOnceAsync(issue.Owner, issue.Repo, issue.Number, marker, $"**{title}**\n\n{body}", CancellationToken.None);
            link = comment.Comment.HtmlUrl;
        }
        if (notificationKey is null) return;
        await notifications.SendAsync(new Notification(request.Kind, title, body, link)
        {
            Links = await LinksAsync(request),
            Buttons = withButtons ? Buttons(key, request) : [],
            Mentions = mentions,
        }, notificationKey, CancellationToken.None);
    }

    public async Task<IReadOnlyList<NotificationLink>> LinksAsync(EscalationRequest request)
    {
        var links = new List<NotificationLink>();
        if (request.Issue is { } issue)
        {
            var text = await github.GetIssueAsync(issue.Owner, issue.Repo, issue.Number, CancellationToken.None);
            links.Add(new NotificationLink($"Issue {issue}", text.HtmlUrl));
            if (request.PullRequest is { } number)
            {
                var pull = await github.GetPullRequestAsync(issue.Owner, issue.Repo, number, CancellationToken.None);
                links.Add(new NotificationLink($"Pull request #{number}", pull.HtmlUrl));
            }
        }
        if (PageUrl(request) is { } page) links.Add(new NotificationLink("Answer on Baton", page));
        if (DashboardUrl is { } dashboard) links.Add(new NotificationLink("Dashboard", dashboard));
        return links;
    }

    static IReadOnlyList<NotificationButton> Buttons(string key, EscalationRequest request) =>
        request.Actions.Select(action => new NotificationButton(Label(action), EscalationIds.ComponentId(action, key), Style(action))).ToList();

    static string Label(string action) => action switch
    {
        EscalationActions.Answer => "Answer",
        EscalationActions.Approve => "Approve",
        EscalationActions.Reject => "Reject",
        EscalationActions.Retry => "Try again",
        EscalationActions.Stop => "Stop",
        _ => action,
    };

    static string Style(string action) => action switch
    {
        EscalationActions.Approve => "success",
        EscalationActions.Reject or EscalationActions.Stop => "danger",
        _ => "primary",
    };
}
