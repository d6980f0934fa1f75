using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;

namespace Baton.Functions.Dashboard;

/// <summary>
/// The page frame: one HTML document with its own small stylesheet and script (no CDN, nothing fetched from elsewhere),
/// laid out for a 390 px phone first and widened into columns on a desktop. A per-response nonce lets the inline style
/// and script run under a Content-Security-Policy that allows nothing else.
/// </summary>
static class DashboardHtml
{
    public static string Encode(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>UTC, to the second, in a form both people and machines read.</summary>
    public static string Time(DateTime? time) =>
        time is { } t ? t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "—";

    public static string Time(DateTimeOffset? time) => Time(time?.UtcDateTime);

    public static string NewNonce() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    public static string ContentSecurityPolicy(string nonce) =>
        $"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; connect-src 'self'; img-src 'self' data:; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>A whole document. <paramref name="signedInAs"/> adds the sign-out form; <paramref name="refresh"/>, the live
    /// updates of every <c>section[data-live]</c>.</summary>
    public static string Page(string title, string nonce, Uri gitHub, string body, string? signedInAs = null, string? signOutToken = null,
        TimeSpan? refresh = null)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            // An empty icon, so browsers do not ask for /favicon.ico.
            .Append("<link rel=\"icon\" href=\"data:,\">")
            .Append("<title>").Append(Encode(title)).Append(" · Baton</title>")
            .Append("<style nonce=\"").Append(nonce).Append("\">").Append(Style).Append("</style></head><body>")
            .Append("<header><a class=\"brand\" href=\"/\">Baton</a>")
            .Append("<a href=\"").Append(Encode(gitHub.ToString())).Append("\">GitHub</a>");
        if (signedInAs is not null)
        {
            html.Append("<span class=\"who\">").Append(Encode(signedInAs)).Append("</span>")
                .Append("<form method=\"post\" action=\"").Append(DashboardRoutes.SignOut).Append("\">")
                .Append(AntiforgeryField(signOutToken)).Append("<button type=\"submit\">Sign out</button></form>");
        }
        html.Append("</header><main>").Append(body).Append("</main>");
        if (refresh is { } every)
        {
            html.Append("<script nonce=\"").Append(nonce).Append("\">")
                .Append(LiveScript.Replace("{url}", DashboardRoutes.Live, StringComparison.Ordinal)
                    .Replace("{ms}", ((int)every.TotalMilliseconds).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal))
                .Append("</script>");
        }
        return html.Append("</body></html>").ToString();
    }

    public static string AntiforgeryField(string? token) =>
        token is null ? "" : $"<input type=\"hidden\" name=\"{DashboardSetup.AntiforgeryField}\" value=\"{Encode(token)}\">";

    /// <summary>Every few seconds, fetches the live sections and swaps each in — except one the person is typing in or
    /// has written into, so a half-written answer is never lost. A failed fetch (offline, signed out) shows a notice.</summary>
    const string LiveScript = """
        (function () {
          var note = document.getElementById('live-note');
          function busy(section) {
            if (section.contains(document.activeElement) && document.activeElement !== document.body) return true;
            return Array.prototype.some.call(section.querySelectorAll('textarea'), function (t) { return t.value.length > 0; });
          }
          function refresh() {
            fetch('{url}', { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (r) {
              if (!r.ok) throw new Error(r.status);
              return r.text();
            }).then(function (text) {
              var incoming = new DOMParser().parseFromString(text, 'text/html');
              incoming.querySelectorAll('section[data-live]').forEach(function (next) {
                var current = document.getElementById(next.id);
                if (current && !busy(current)) current.replaceWith(document.adoptNode(next));
              });
              if (note) note.textContent = '';
            }).catch(function () {
              if (note) note.textContent = 'Live updates paused: the server did not answer (signed out?). Reload the page.';
            }).finally(function () { setTimeout(refresh, {ms}); });
          }
          setTimeout(refresh, {ms});
        })();
        """;

    const string Style = """
        :root { color-scheme: light dark; --line: #8884; --muted: #777; --accent: #2563eb; --bad: #b91c1c; --ok: #15803d; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
        header { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; border-bottom: 1px solid var(--line); }
        header .brand { font-weight: 700; font-size: 1.1rem; text-decoration: none; color: inherit; }
        header .who { margin-left: auto; color: var(--muted); }
        header form { margin: 0; }
        main { padding: .5rem 1rem 2rem; display: grid; gap: 1rem; grid-template-columns: minmax(0, 1fr); }
        @media (min-width: 900px) { main { grid-template-columns: repeat(2, minmax(0, 1fr)); } section.wide { grid-column: 1 / -1; } }
        section { border: 1px solid var(--line); border-radius: 8px; padding: .5rem .9rem .8rem; min-width: 0; }
        h1 { font-size: 1.2rem; margin: .6rem 0; } h2 { font-size: 1.05rem; margin: .4rem 0 .6rem; }
        ol, ul { padding-left: 1.2rem; margin: .3rem 0; } li { margin: .35rem 0; }
        .muted, .empty { color: var(--muted); } .bad { color: var(--bad); } .ok { color: var(--ok); }
        .tag { display: inline-block; border: 1px solid var(--line); border-radius: 999px; padding: 0 .45rem; font-size: .8rem; margin-right: .25rem; }
        pre { white-space: pre-wrap; word-break: break-word; font-size: .8rem; background: #8881; padding: .4rem; border-radius: 4px; margin: .3rem 0; max-height: 12rem; overflow: auto; }
        .body { white-space: pre-wrap; word-break: break-word; }
        .decision { border-top: 1px solid var(--line); padding-top: .5rem; margin-top: .5rem; }
        .actions { display: flex; flex-wrap: wrap; gap: .5rem; margin-top: .4rem; }
        .actions form { display: flex; flex-direction: column; gap: .3rem; flex: 1 1 14rem; margin: 0; }
        textarea { width: 100%; min-height: 3.2rem; font: inherit; }
        button, .button { font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid var(--line); background: #8882; cursor: pointer; color: inherit; }
        button.primary, .button.primary { background: var(--accent); border-color: var(--accent); color: #fff; text-decoration: none; display: inline-block; }
        progress { width: 100%; }
        table { border-collapse: collapse; width: 100%; } td, th { text-align: left; padding: .2rem .4rem .2rem 0; vertical-align: top; }
        a { color: var(--accent); overflow-wrap: anywhere; }
        #live-note { color: var(--bad); grid-column: 1 / -1; margin: 0; }
        section.plain { border: 0; padding: 0; }
        """;
}
