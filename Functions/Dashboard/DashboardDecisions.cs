using Baton.Activities.GitHub;
using Baton.Functions.People;
using Baton.Hosting;
using Baton.Orchestrations.Escalations;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using static Baton.Functions.Dashboard.DashboardHtml;

namespace Baton.Functions.Dashboard;

/// <summary>
/// <c>POST /dashboard/escalations/{key}</c>: a person's decision from a dashboard form, with the same rules as Discord's
/// buttons. The form must carry its anti-forgery token, the person must be an approver the escalation allows, the action
/// must be one it offers; anything else is a 4xx problem and raises nothing. A gate's approval or rejection is pinned to
/// the pull request's head as GitHub reports it at the click. The answer goes through <see cref="EscalationDesk"/>, whose
/// first valid answer wins; a late one is told who decided and when.
/// </summary>
public sealed class DashboardDecisions(
    EscalationDesk desk,
    DashboardAccess access,
    IAntiforgery antiforgery,
    GitHubClient github,
    IOptions<DashboardOptions> options,
    TimeProvider clock,
    ILogger<DashboardDecisions> logger)
{
    public const int MaxTextLength = 4000;
    const int MaxFormBytes = 64 * 1024;
    static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(5);
    static readonly string[] KnownActions =
        [EscalationActions.Answer, EscalationActions.Approve, EscalationActions.Reject, EscalationActions.Retry, EscalationActions.Stop];

    public async Task<IResult> DecideAsync(string key, HttpContext http)
    {
        var login = DashboardAccess.LoginOf(http.User)!;
        var request = http.Request;
        if (await RefuseFormAsync(http, antiforgery) is { } refused) return refused;

        var form = await request.ReadFormAsync(http.RequestAborted);
        var action = form["action"].ToString();
        var text = form["text"].ToString().Trim();
        if (!IsKey(key)) return BadRequest("That is not an escalation key.");
        if (!KnownActions.Contains(action, StringComparer.Ordinal)) return BadRequest("'action' must be one of " + string.Join(", ", KnownActions) + ".");
        if (text.Length > MaxTextLength) return BadRequest($"The text is longer than {MaxTextLength} characters.");
        if (action == EscalationActions.Answer && text.Length == 0) return BadRequest("An answer needs its text.");

        var status = await desk.GetAsync(key, http.RequestAborted);
        if (status is null) return Problem(StatusCodes.Status404NotFound, "Not found", "No such escalation.");
        if (!access.MayDecide(login, status.Request))
        {
            DashboardLog.DecisionRefused(logger, key, login, "not an allowed approver");
            return Problem(StatusCodes.Status403Forbidden, "Forbidden", "Only allow-listed approvers can decide this.");
        }
        if (!status.IsOpen) return Settled(http, new DeskResult(DeskVerdict.AlreadyResolved, status));
        if (!status.Request.Actions.Contains(action, StringComparer.Ordinal))
            return BadRequest($"This escalation does not offer '{action}'.");

        string? headSha = null;
        if (action is EscalationActions.Approve or EscalationActions.Reject && status.Request is { HeadSha: not null, PullRequest: { } pr, Issue: { } issue })
        {
            try
            {
                headSha = (await github.GetPullRequestAsync(issue.Owner, issue.Repo, pr, http.RequestAborted)).Head.Sha;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                DashboardLog.DecisionRefused(logger, key, login, $"the pull request's head could not be read ({e.GetType().Name})");
                return Problem(StatusCodes.Status503ServiceUnavailable, "GitHub unavailable",
                    "The pull request's current head could not be read from GitHub, so nothing was decided. Try again.");
            }
        }

        var answer = new EscalationAnswer(action, text.Length == 0 ? null : text, login, "dashboard", clock.GetUtcNow().UtcDateTime)
        {
            GitHubLogin = login,
            HeadSha = headSha,
        };
        var result = await desk.AnswerAsync(key, answer, SettleWait, http.RequestAborted);
        DashboardLog.Decided(logger, key, action, login, result.Verdict.ToString());
        return result.Verdict switch
        {
            DeskVerdict.NotFound => Problem(StatusCodes.Status404NotFound, "Not found", "No such escalation."),
            DeskVerdict.NotOffered => BadRequest($"This escalation does not offer '{action}'."),
            _ => Settled(http, result, answer),
        };
    }

    /// <summary>A small page saying how the decision went, with the way back.</summary>
    IResult Settled(HttpContext http, DeskResult result, EscalationAnswer? mine = null)
    {
        var (heading, message, status) = result.Verdict switch
        {
            DeskVerdict.Applied => ("Decision recorded", $"{Encode(mine!.Action)} by {Encode(mine.By)}: the pipeline moves on.", StatusCodes.Status200OK),
            DeskVerdict.Pending => ("Decision delivered",
                "It will apply unless another answer arrived just before it; the dashboard will show the outcome.", StatusCodes.Status202Accepted),
            _ => ("Already resolved", AlreadyResolved(result.Outcome), StatusCodes.Status409Conflict),
        };
        var links = new WebLinks(options.Value.OAuthUrl);
        var body = $"<section class=\"wide\"><h1>{heading}</h1><p id=\"verdict\">{message}</p>" +
                   $"<p><a class=\"button primary\" href=\"{DashboardRoutes.Home}\">Back to the dashboard</a></p></section>";
        var nonce = NewNonce();
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        return DashboardEndpoints.Html(http, Page(heading, nonce, links.Root, body), status);
    }

    static string AlreadyResolved(EscalationOutcome? outcome) =>
        outcome is null
            ? "It was already resolved."
            : $"Already resolved by {Encode(outcome.By)} ({Encode(outcome.Action)}, via {Encode(outcome.Via)}) at {Time(outcome.At)}.";

    static bool IsKey(string key) => key.Length is > 0 and <= 64 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The checks every dashboard form post passes first: a form body of bounded size that can be read, carrying a
    /// valid anti-forgery token for this person. Returns the problem to answer with, or null when the form may be read.</summary>
    internal static async Task<IResult?> RefuseFormAsync(HttpContext http, IAntiforgery antiforgery)
    {
        var request = http.Request;
        if (!request.HasFormContentType)
            return Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send a form (application/x-www-form-urlencoded).");
        if (request.ContentLength > MaxFormBytes) return Problem(StatusCodes.Status413PayloadTooLarge, "Payload too large", "The form is too large.");
        RequestBodyLimit.Allow(request, MaxFormBytes);
        try
        {
            if (!await antiforgery.IsRequestValidAsync(http)) return AntiforgeryProblem();
            await request.ReadFormAsync(http.RequestAborted);
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or AntiforgeryValidationException)
        {
            // A malformed body (a multipart form without its boundary, too many fields): the caller's fault. The token
            // check reads the form first and reports it as its own exception, wrapping the reason.
            return BadRequest("The form could not be read: " + (e.InnerException ?? e).Message);
        }
    }

    static IResult AntiforgeryProblem() =>
        Problem(StatusCodes.Status400BadRequest, "Bad request", "The form's anti-forgery token is missing or invalid: reload the page and try again.");

    static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, "Bad request", detail);

    static IResult Problem(int status, string title, string detail) => TypedResults.Problem(detail, statusCode: status, title: title);
}
