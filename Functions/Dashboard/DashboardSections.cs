using System.Text;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Voice;
using static Baton.Functions.Dashboard.DashboardHtml;

namespace Baton.Functions.Dashboard;

/// <summary>
/// The dashboard's sections as HTML, each a <c>section[data-live]</c> with a stable id, so the page's script can swap
/// them one by one. Everything shown is encoded; every issue, pull request, repository and milestone links to GitHub.
/// Decision forms appear only for people who may decide, and carry the anti-forgery token.
/// </summary>
static class DashboardSections
{
    public static string Render(DashboardView view, WebLinks links, string? antiforgeryToken)
    {
        var html = new StringBuilder();
        Decisions(html, view, links, antiforgeryToken);
        Queue(html, view.Queue, view.ConductorRound, links);
        Work(html, view, links);
        Runners(html, view);
        Failures(html, view, links);
        Milestones(html, view, links);
        Voice(html, view);
        html.Append("<section data-live id=\"read-at\" class=\"wide plain muted\">Read at ").Append(Time(view.ReadAt)).Append(".</section>");
        return html.ToString();
    }

    static StringBuilder Open(StringBuilder html, string id, string title, bool wide = false) =>
        html.Append("<section data-live id=\"").Append(id).Append('"').Append(wide ? " class=\"wide\"" : "").Append("><h2>")
            .Append(Encode(title)).Append("</h2>");

    static string IssueLink(IssueRef issue, WebLinks links) =>
        $"<a href=\"{Encode(links.Issue(issue))}\">{Encode(issue.ToString())}</a>";

    static void Decisions(StringBuilder html, DashboardView view, WebLinks links, string? token)
    {
        Open(html, "decisions", $"Decisions waiting ({view.Decisions.Count})", wide: true);
        if (view.Decisions.Count == 0) html.Append("<p class=\"empty\">Nothing is waiting for a person.</p>");
        foreach (var decision in view.Decisions)
        {
            var request = decision.Status.Request;
            html.Append("<div class=\"decision\" id=\"decision-").Append(Encode(decision.Key)).Append("\">")
                .Append("<strong>").Append(Encode(request.Title)).Append("</strong> <span class=\"tag\">").Append(Encode(request.Kind)).Append("</span><br>");
            if (request.Issue is { } issue) html.Append(IssueLink(issue, links));
            else html.Append(Encode(request.Subject));
            if (request.PullRequest is { } pr && request.Issue is { } onIssue)
                html.Append(" · <a href=\"").Append(Encode(links.PullRequest(onIssue.Repository, pr))).Append("\">pull request #").Append(pr).Append("</a>");
            if (request.HeadSha is { } sha) html.Append(" · head <code>").Append(Encode(sha[..Math.Min(sha.Length, 12)])).Append("</code>");
            html.Append("<div class=\"muted\">opened ").Append(Time(decision.Status.OpenedAt));
            if (decision.Status.TimesOutAt is { } timeout) html.Append(" · times out ").Append(Time(timeout));
            html.Append("</div><div class=\"body\">").Append(Encode(request.Body)).Append("</div>");
            if (decision.MayDecide) Forms(html, decision.Key, request, token);
            else html.Append("<p class=\"muted\">Only approvers can decide this.</p>");
            html.Append("</div>");
        }
        html.Append("</section>");
    }

    static void Forms(StringBuilder html, string key, EscalationRequest request, string? token)
    {
        html.Append("<div class=\"actions\">");
        foreach (var action in request.Actions)
        {
            html.Append("<form method=\"post\" action=\"").Append(Encode(DashboardRoutes.Decide(key))).Append("\">")
                .Append(AntiforgeryField(token))
                .Append("<input type=\"hidden\" name=\"action\" value=\"").Append(Encode(action)).Append("\">");
            if (EscalationActions.TakesText(action))
            {
                var (label, required) = action switch
                {
                    EscalationActions.Answer => ("Your answer", true),
                    EscalationActions.Retry => ("Guidance for the next try (optional)", false),
                    _ => ("Reason (optional)", false),
                };
                html.Append("<textarea name=\"text\" maxlength=\"").Append(DashboardDecisions.MaxTextLength).Append("\" aria-label=\"")
                    .Append(Encode(label)).Append("\" placeholder=\"").Append(Encode(label)).Append('"').Append(required ? " required" : "")
                    .Append("></textarea>");
            }
            var primary = action is EscalationActions.Approve or EscalationActions.Answer;
            html.Append("<button type=\"submit\"").Append(primary ? " class=\"primary\"" : "").Append('>')
                .Append(Encode(ButtonText(action))).Append("</button></form>");
        }
        html.Append("</div>");
    }

    static string ButtonText(string action) => action switch
    {
        EscalationActions.Answer => "Answer",
        EscalationActions.Approve => "Approve",
        EscalationActions.Reject => "Reject",
        EscalationActions.Retry => "Retry",
        EscalationActions.Stop => "Stop",
        _ => action,
    };

    static void Queue(StringBuilder html, QueueView? queue, int? round, WebLinks links)
    {
        Open(html, "queue", "Queue");
        if (queue is null)
        {
            // Each round starts as a new execution, whose plan is shown once the round has read the board.
            html.Append("<p class=\"empty\">").Append(round is { } n
                ? $"The conductor is planning round {n}…"
                : "The conductor is not running (no repositories configured, or it is starting).").Append("</p></section>");
            return;
        }
        html.Append("<p class=\"muted\">Round ").Append(queue.Round).Append(" · ").Append(queue.Running).Append(" running</p>");
        if (queue.Started.Count > 0)
        {
            html.Append("<p>Started this round: ");
            html.AppendJoin(", ", queue.Started.Select(i => IssueLink(i, links)));
            html.Append("</p>");
        }
        if (queue.Waiting.Count == 0) html.Append("<p class=\"empty\">No approved issue is waiting.</p>");
        else
        {
            html.Append("<ol class=\"queue\">");
            foreach (var waiting in queue.Waiting)
            {
                html.Append("<li>").Append(IssueLink(waiting.Issue, links)).Append(' ')
                    .Append("<span class=\"tag\">").Append(Encode(waiting.Priority ?? "normal")).Append("</span>")
                    .Append("<span class=\"muted\">approved ").Append(Time(waiting.ApprovedAt)).Append("</span><br>")
                    .Append(Reason(waiting, links)).Append("</li>");
            }
            html.Append("</ol>");
        }
        foreach (var cycle in queue.Cycles)
            html.Append("<p class=\"bad\">Dependency cycle: ").AppendJoin(" → ", cycle.Issues.Select(i => IssueLink(i, links))).Append("</p>");
        html.Append("</section>");
    }

    static string Reason(WaitingIssue waiting, WebLinks links) => waiting.Reason switch
    {
        WaitReason.BlockedByOpenIssue => "blocked by " + string.Join(", ", waiting.OpenBlockers.Select(b => IssueLink(b, links))),
        WaitReason.InDependencyCycle => "in a dependency cycle with " + string.Join(", ", waiting.OpenBlockers.Select(b => IssueLink(b, links))),
        WaitReason.NoFreeSlot => "no free slot",
        WaitReason.RepositoryAtCapacity => "its repository's slots are all taken",
        _ => Encode(waiting.Reason.ToString()),
    };

    static void Work(StringBuilder html, DashboardView view, WebLinks links)
    {
        Open(html, "work", "Running");
        if (view.Issues.Count == 0 && view.Jobs.Count == 0) html.Append("<p class=\"empty\">No issue is being worked on.</p>");
        foreach (var issue in view.Issues)
        {
            html.Append("<div>").Append(IssueLink(issue.Issue, links)).Append(" <span class=\"tag\">").Append(Encode(issue.Stage)).Append("</span>");
            if (issue.PullRequest is { } pr)
                html.Append(" <a href=\"").Append(Encode(links.PullRequest(issue.Issue.Repository, pr))).Append("\">#").Append(pr).Append("</a>");
            html.Append(" <span class=\"muted\">").Append(issue.AgentAttempts).Append(" agent runs, ").Append(issue.ReviewRounds)
                .Append(" review rounds</span></div>");
        }
        if (view.Jobs.Count > 0) html.Append("<h2>Agent jobs</h2>");
        foreach (var job in view.Jobs)
        {
            html.Append("<div class=\"job\">").Append(IssueLink(job.Issue, links)).Append(' ')
                .Append("<span class=\"tag\">").Append(Encode(job.Role)).Append("</span><span class=\"tag\">").Append(Encode(job.Agent)).Append("</span>")
                .Append("<span class=\"tag\">").Append(Encode(job.State)).Append("</span>");
            if (job.RunnerId is { } runner) html.Append(" <span class=\"muted\">on ").Append(Encode(runner)).Append("</span>");
            html.Append(job.LastLines.Count == 0
                ? "<div class=\"muted\">no log lines yet</div>"
                : "<pre>" + string.Join('\n', job.LastLines.Select(Encode)) + "</pre>");
            html.Append("</div>");
        }
        html.Append("</section>");
    }

    static void Runners(StringBuilder html, DashboardView view)
    {
        Open(html, "runners", "Runners");
        if (view.Runners.Count == 0) html.Append("<p class=\"empty\">No runner has asked for work today.</p>");
        else
        {
            html.Append("<table><tr><th>Runner</th><th>Agents</th><th>Last heartbeat</th><th>Lease until</th></tr>");
            foreach (var runner in view.Runners)
            {
                var age = runner.LastHeartbeat is { } beat ? $" ({Math.Max(0, (int)(view.ReadAt - beat).TotalSeconds)} s ago)" : "";
                html.Append("<tr><td title=\"").Append(Encode(runner.RunnerId)).Append("\">").Append(Encode(runner.Name)).Append("</td><td>")
                    .Append(Encode(string.Join(", ", runner.Agents))).Append("</td><td>").Append(Time(runner.LastHeartbeat)).Append(Encode(age))
                    .Append("</td><td>").Append(Time(runner.LeaseExpiresAt)).Append("</td></tr>");
            }
            html.Append("</table>");
        }
        html.Append("<p class=\"muted\">A runner's heartbeat is its last request for work or its newest job lease.</p></section>");
    }

    static void Failures(StringBuilder html, DashboardView view, WebLinks links)
    {
        Open(html, "failures", "Failures in the last day");
        if (view.Failures.Count == 0) html.Append("<p class=\"empty\">No failures.</p>");
        foreach (var failureClass in view.Failures)
        {
            html.Append("<div><strong>").Append(Encode(failureClass.Class)).Append("</strong> <span class=\"tag\">")
                .Append(failureClass.Count).Append("</span><ul>");
            foreach (var failure in failureClass.Recent)
            {
                html.Append("<li>").Append(failure.Issue is { } issue ? IssueLink(issue, links) : Encode(failure.InstanceId))
                    .Append(" <span class=\"muted\">").Append(Time(failure.At)).Append("</span><br>").Append(Encode(failure.Summary)).Append("</li>");
            }
            html.Append("</ul></div>");
        }
        html.Append("</section>");
    }

    /// <summary>Spoken requests of the last day: each links its page (<c>/voice?request=…</c>), where a waiting one is answered.</summary>
    static void Voice(StringBuilder html, DashboardView view)
    {
        Open(html, "voice", "Spoken requests");
        if (view.Voice.Count == 0) html.Append("<p class=\"empty\">No spoken request today. Record one at <a href=\"/voice\">/voice</a>.</p>");
        else
        {
            html.Append("<ul>");
            foreach (var request in view.Voice)
            {
                var status = request.Status;
                var heard = status.Latest(VoiceSteps.Transcribed)?.Transcript;
                var last = status.Events.Count > 0 ? status.Events[^1] : null;
                html.Append("<li><a href=\"/voice?request=").Append(Encode(request.Id)).Append("\">").Append(Encode(status.Step.Replace('_', ' ')))
                    .Append("</a> <span class=\"muted\">").Append(Encode(request.SubmittedBy)).Append(", ").Append(Time(request.At)).Append("</span>");
                if (heard is { Length: > 0 }) html.Append("<br>“").Append(Encode(heard.Length > 140 ? heard[..139] + "…" : heard)).Append('”');
                if (last?.TicketKey is { } ticket)
                    html.Append("<br>Jira <a href=\"").Append(Encode(last.TicketUrl ?? "")).Append("\">").Append(Encode(ticket)).Append("</a>");
                if (last?.GitHubIssueUrl is { } issue) html.Append(", GitHub <a href=\"").Append(Encode(issue)).Append("\">issue</a>");
                if (status.Step == VoiceSteps.ClarificationNeeded && last?.Questions is { Count: > 0 } questions)
                    html.Append("<br><strong>Asks:</strong> ").Append(Encode(string.Join(" ", questions)));
                if (last?.Reason is { } reason) html.Append("<br><span class=\"").Append(status.Step == VoiceSteps.Failed ? "bad" : "muted").Append("\">")
                    .Append(Encode(reason)).Append("</span>");
                html.Append("</li>");
            }
            html.Append("</ul><p class=\"muted\"><a href=\"/voice\">Speak a request</a></p>");
        }
        html.Append("</section>");
    }

    static void Milestones(StringBuilder html, DashboardView view, WebLinks links)
    {
        Open(html, "milestones", "Milestones");
        if (view.Milestones.Count == 0) html.Append("<p class=\"empty\">No open milestone on the board.</p>");
        foreach (var milestone in view.Milestones)
        {
            html.Append("<div><a href=\"").Append(Encode(links.Milestone(milestone.Milestone))).Append("\">")
                .Append(Encode(milestone.Title ?? $"milestone {milestone.Milestone.Number}")).Append("</a> <span class=\"muted\">")
                .Append(Encode(milestone.Milestone.Repository)).Append("</span>");
            if (milestone.Error is { } error) html.Append("<div class=\"bad\">").Append(Encode(error)).Append("</div>");
            else
                html.Append("<div><progress max=\"100\" value=\"").Append(milestone.Percent).Append("\"></progress> ")
                    .Append(milestone.Closed).Append(" of ").Append(milestone.Open + milestone.Closed).Append(" closed (")
                    .Append(milestone.Percent).Append("%)</div>");
            html.Append("</div>");
        }
        html.Append("</section>");
    }
}
