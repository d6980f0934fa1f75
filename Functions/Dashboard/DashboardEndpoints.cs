using Baton.Hosting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using static Baton.Functions.Dashboard.DashboardHtml;

namespace Baton.Functions.Dashboard;

/// <summary>
/// The dashboard's pages: <c>/</c> (members only), the live sections it refreshes from, sign-in, sign-out and the
/// not-a-member page; decisions are posted to <see cref="DashboardDecisions"/>. Every HTML answer is uncacheable and
/// carries a strict Content-Security-Policy.
/// </summary>
public static class DashboardEndpoints
{
    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (app.Services.GetRequiredService<HostFeatures>().All.FirstOrDefault(f => f.Name == DashboardSetup.FeatureName) is not { Enabled: true })
            return app;

        app.MapGet(DashboardRoutes.Home, HomeAsync).RequireAuthorization(DashboardAccess.MemberPolicy);
        app.MapGet(DashboardRoutes.Live, LiveAsync).RequireAuthorization(DashboardAccess.MemberPolicy);
        app.MapPost(DashboardRoutes.DecidePattern, (string key, HttpContext http, DashboardDecisions decisions) => decisions.DecideAsync(key, http))
            .RequireAuthorization(DashboardAccess.MemberPolicy);
        app.MapGet(DashboardRoutes.SignIn, SignIn);
        app.MapGet(DashboardRoutes.SignInWithGitHub, SignInWithGitHub);
        app.MapPost(DashboardRoutes.SignOut, SignOutAsync).RequireAuthorization(DashboardSetup.SignedInPolicy);
        app.MapGet(DashboardRoutes.Denied, Denied).RequireAuthorization(DashboardSetup.SignedInPolicy);
        return app;
    }

    static async Task<IResult> HomeAsync(HttpContext http, DashboardReader reader, IAntiforgery antiforgery, IOptions<DashboardOptions> options)
    {
        var login = DashboardAccess.LoginOf(http.User)!;
        var view = await reader.ReadAsync(login, http.RequestAborted);
        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        var links = new WebLinks(options.Value.OAuthUrl);
        var body = "<h1 class=\"wide\">Baton</h1>" + DashboardSections.Render(view, links, token) + "<p id=\"live-note\" role=\"status\"></p>";
        return Html(http, Page("Dashboard", Nonce(http), links.Root, body, login, token, options.Value.RefreshInterval));
    }

    /// <summary>The same sections as <c>/</c>, for the page's script to swap in.</summary>
    static async Task<IResult> LiveAsync(HttpContext http, DashboardReader reader, IAntiforgery antiforgery, IOptions<DashboardOptions> options)
    {
        var view = await reader.ReadAsync(DashboardAccess.LoginOf(http.User), http.RequestAborted);
        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        return Html(http, DashboardSections.Render(view, new WebLinks(options.Value.OAuthUrl), token));
    }

    static IResult SignIn(HttpContext http, IOptions<DashboardOptions> options)
    {
        var settings = options.Value;
        var body = "<section class=\"wide\"><h1>Sign in to Baton</h1>";
        if (http.Request.Query.ContainsKey("failed"))
            body += "<p class=\"bad\">Signing in with GitHub did not complete. Try again.</p>";
        if (settings.UsesOAuth)
            body += $"<p><a class=\"button primary\" href=\"{DashboardRoutes.SignInWithGitHub}\">Sign in with GitHub</a></p>";
        if (settings.UsesTrustedHeader)
            body += "<p class=\"muted\">Or open Baton through your organisation's sign-in proxy.</p>";
        body += "<p class=\"muted\">Only configured members can see the dashboard.</p></section>";
        return Html(http, Page("Sign in", Nonce(http), new WebLinks(settings.OAuthUrl).Root, body));
    }

    static IResult SignInWithGitHub(IOptions<DashboardOptions> options) =>
        options.Value.UsesOAuth
            ? TypedResults.Challenge(new AuthenticationProperties { RedirectUri = DashboardRoutes.Home }, [DashboardSetup.GitHubScheme])
            : TypedResults.Problem("GitHub sign-in is not configured here; use the sign-in proxy.", statusCode: StatusCodes.Status404NotFound);

    static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery)
    {
        if (await DashboardDecisions.RefuseFormAsync(http, antiforgery) is { } refused) return refused;
        await http.SignOutAsync(DashboardSetup.CookieScheme);
        return TypedResults.Redirect(DashboardRoutes.SignIn);
    }

    static IResult Denied(HttpContext http, IAntiforgery antiforgery, IOptions<DashboardOptions> options)
    {
        var login = DashboardAccess.LoginOf(http.User) ?? "someone";
        var token = antiforgery.GetAndStoreTokens(http).RequestToken;
        var body = $"<section class=\"wide\"><h1>Not a member</h1><p>You are signed in as <strong>{Encode(login)}</strong>, who is not " +
                   "a member of this Baton's dashboard. Ask an operator to add you to <code>Dashboard__Members</code>.</p></section>";
        return Html(http, Page("Not a member", Nonce(http), new WebLinks(options.Value.OAuthUrl).Root, body, login, token),
            StatusCodes.Status403Forbidden);
    }

    static string Nonce(HttpContext http)
    {
        var nonce = NewNonce();
        http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy(nonce);
        return nonce;
    }

    /// <summary>An HTML answer that is never cached, sniffed or framed.</summary>
    internal static IResult Html(HttpContext http, string html, int status = StatusCodes.Status200OK)
    {
        var headers = http.Response.Headers;
        headers.CacheControl = "no-store";
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "same-origin";
        if (!headers.ContainsKey("Content-Security-Policy")) headers.ContentSecurityPolicy = ContentSecurityPolicy(NewNonce());
        return TypedResults.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
