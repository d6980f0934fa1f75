using Baton.Functions.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using static Baton.Functions.Dashboard.DashboardHtml;

namespace Baton.Functions.Voice;

/// <summary>
/// The recorder page <c>/voice</c> for signed-in dashboard members: hold Space (or the big button) to record, listen back,
/// send, and follow the request's progress, its clarification and its ticket. Server-rendered; its one script and one
/// stylesheet are served from here (<see cref="VoiceRecorderAssets"/>) under a Content-Security-Policy that allows
/// nothing else — no inline script, no CDN.
/// </summary>
public static class VoicePage
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; media-src 'self' blob:; img-src 'self' data:; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void Map(WebApplication app)
    {
        app.MapGet(VoiceRoutes.Page, RenderAsync);
        app.MapGet(VoiceRoutes.Script, (HttpContext http) => Asset(http, VoiceRecorderAssets.Script, "text/javascript; charset=utf-8"));
        app.MapGet(VoiceRoutes.Style, (HttpContext http) => Asset(http, VoiceRecorderAssets.Style, "text/css; charset=utf-8"));
    }

    /// <summary>A page load, so someone not signed in is sent to sign in rather than shown a problem.</summary>
    static async Task<IResult> RenderAsync(HttpContext http, DashboardAccess access, IAntiforgery antiforgery)
    {
        var session = await http.AuthenticateAsync(DashboardSetup.DashboardScheme);
        var login = session.Succeeded ? DashboardAccess.LoginOf(session.Principal!) : null;
        if (login is null) return TypedResults.Redirect(DashboardRoutes.SignIn);
        if (!access.IsMember(login)) return TypedResults.Redirect(DashboardRoutes.Denied);
        http.User = session.Principal!;
        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return DashboardEndpoints.Html(http, Html(login, token!));
    }

    static IResult Asset(HttpContext http, string text, string contentType)
    {
        http.Response.Headers.CacheControl = "no-cache";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        return TypedResults.Text(text, contentType);
    }

    static string Html(string login, string token) => $$"""
        <!doctype html><html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <meta name="csrf-token" content="{{Encode(token)}}">
        <meta name="voice-upload" content="{{VoiceRoutes.Upload}}">
        <title>Speak a request · Baton</title>
        <link rel="stylesheet" href="{{VoiceRoutes.Style}}">
        <script src="{{VoiceRoutes.Script}}" defer></script>
        </head><body>
        <header><a class="brand" href="{{DashboardRoutes.Home}}">Baton</a><a href="{{DashboardRoutes.Home}}">Dashboard</a><span class="who">{{Encode(login)}}</span></header>
        <main>
        <section id="recorder" aria-labelledby="recorder-title">
          <h1 id="recorder-title">Speak a request</h1>
          <p id="hint" class="muted">Hold <kbd>Space</kbd> (or press and hold the button) and say what you want built. Release to stop.</p>
          <label for="project">Jira project <span class="muted">(optional)</span></label>
          <input id="project" name="project" autocomplete="off" autocapitalize="characters" spellcheck="false" placeholder="e.g. BATON" maxlength="32">
          <button id="talk" class="talk" type="button" aria-pressed="false" aria-describedby="hint">Hold to talk</button>
          <div class="meter" id="meter" role="meter" aria-label="Microphone level" aria-valuemin="0" aria-valuemax="100" aria-valuenow="0"><div id="level"></div></div>
          <p class="timer"><span class="muted">Recorded:</span> <span id="timer">0.0 s</span></p>
          <audio id="playback" controls hidden aria-label="Your recording"></audio>
          <div class="actions">
            <button id="send" class="primary" type="button" disabled>Send</button>
            <button id="again" type="button" disabled>Record again</button>
          </div>
          <p id="mic-error" class="bad" role="alert"></p>
        </section>
        <section id="progress" aria-labelledby="progress-title" hidden>
          <h2 id="progress-title">Progress</h2>
          <ol id="steps" aria-live="polite"></ol>
        </section>
        <section id="result" role="status" aria-live="polite" hidden></section>
        <dialog id="clarify" aria-labelledby="clarify-title">
          <form id="clarify-form" method="dialog">
            <h2 id="clarify-title">A question before the ticket</h2>
            <ol id="questions"></ol>
            <label for="answer">Your answer</label>
            <textarea id="answer" name="answer" rows="4" required></textarea>
            <div class="actions"><button id="answer-send" class="primary" type="submit">Send answer</button></div>
            <p id="clarify-error" class="bad" role="alert"></p>
          </form>
        </dialog>
        </main></body></html>
        """;
}
