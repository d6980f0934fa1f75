using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using Baton.Activities.GitHub;
using Baton.Functions.People;
using Baton.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OAuth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Dashboard;

/// <summary>
/// Composes the dashboard: its options, sign-in (GitHub's OAuth web flow into a session cookie, and/or a trusted
/// forward-auth header), the member policy and anti-forgery. With no way to sign in, or no member, the dashboard is off:
/// nothing is registered or mapped, and start-up logs one line saying why. It never falls back to open or
/// loopback-only access: pages that let people approve merges are not served without knowing who is looking.
/// </summary>
public static class DashboardSetup
{
    public const string FeatureName = "dashboard";
    public const string CookieScheme = "DashboardCookie";
    public const string GitHubScheme = "DashboardGitHub";
    public const string DashboardScheme = "Dashboard";
    public const string SignedInPolicy = "DashboardSignedIn";
    public const string AntiforgeryField = "__csrf";

    public static WebApplicationBuilder AddDashboard(this WebApplicationBuilder builder)
    {
        var features = HostFeatures.In(builder.Services);
        var settings = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        builder.Services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName);
        if (!settings.UsesOAuth && !settings.UsesTrustedHeader)
        {
            features.Disable(FeatureName, "no sign-in configured (Dashboard__ClientId + Dashboard__ClientSecret, or Dashboard__TrustedHeader + Dashboard__TrustedProxies__0)");
            return builder;
        }
        if (!settings.ConfiguredMembers.Any())
        {
            features.Disable(FeatureName, "no members (Dashboard__Members__0=github-login)");
            return builder;
        }

        var secure = SecurePolicy(builder.Configuration.GetSection(BatonOptions.SectionName).Get<BatonOptions>()?.PublicUrl);
        var services = builder.Services;
        services.TryAddSingleton<EscalationDesk>();
        services.AddSingleton<DashboardAccess>();
        services.AddSingleton<DashboardReader>();
        services.AddSingleton<DashboardDecisions>();
        services.AddAntiforgery(options =>
        {
            options.FormFieldName = AntiforgeryField;
            options.Cookie.Name = "baton.antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = secure;
        });

        var authentication = services.AddAuthentication()
            .AddCookie(CookieScheme, options => ConfigureCookie(options, settings, secure))
            .AddScheme<AuthenticationSchemeOptions, ForwardAuthHandler>(ForwardAuthHandler.SchemeName, _ => { })
            .AddPolicyScheme(DashboardScheme, "Baton dashboard", options => options.ForwardDefaultSelector = SchemeFor);
        if (settings.UsesOAuth) authentication.AddOAuth(GitHubScheme, "GitHub", _ => { });
        services.AddOptions<OAuthOptions>(GitHubScheme).Configure<IOptions<DashboardOptions>, IOptions<GitHubOptions>>(
            (options, dashboard, github) => ConfigureOAuth(options, dashboard, github, secure));

        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardAccess.MemberPolicy, policy => policy.AddAuthenticationSchemes(DashboardScheme).RequireAuthenticatedUser()
                .AddRequirements(new MemberRequirement()))
            .AddPolicy(SignedInPolicy, policy => policy.AddAuthenticationSchemes(DashboardScheme).RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationHandler, MemberRequirementHandler>();

        var ways = string.Join(" and ", new[]
        {
            settings.UsesOAuth ? $"GitHub OAuth via {settings.OAuthUrl}" : null,
            settings.UsesTrustedHeader ? $"header {settings.TrustedHeader} from {settings.TrustedProxies.Count} trusted proxies" : null,
        }.OfType<string>());
        features.Enable(FeatureName, $"at /, sign-in by {ways}; {settings.ConfiguredMembers.Count()} members");
        return builder;
    }

    /// <summary>A request a trusted proxy signed in goes to the header scheme; everything else uses the session cookie.</summary>
    static string SchemeFor(HttpContext context)
    {
        var settings = context.RequestServices.GetRequiredService<IOptionsMonitor<DashboardOptions>>().CurrentValue;
        return settings.UsesTrustedHeader
               && context.Request.Headers.ContainsKey(settings.TrustedHeader!)
               && ForwardAuthHandler.IsTrustedProxy(context.Connection.RemoteIpAddress, settings.TrustedProxies)
            ? ForwardAuthHandler.SchemeName
            : CookieScheme;
    }

    /// <summary>Cookies are Secure when the request came over https, and always when <c>Baton__PublicUrl</c> is an https
    /// address (a proxy in front ends TLS, so the host itself sees http).</summary>
    static CookieSecurePolicy SecurePolicy(string? publicUrl) =>
        publicUrl?.StartsWith("https://", StringComparison.OrdinalIgnoreCase) == true ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;

    /// <summary>HttpOnly, SameSite=Lax (the OAuth callback arrives from GitHub as a top-level navigation, which Strict would
    /// strip), Secure as <see cref="SecurePolicy"/> says. A page load that needs a sign-in is sent to the sign-in page;
    /// anything else (the live refresh, a form post) gets a 401 or 403 problem.</summary>
    static void ConfigureCookie(CookieAuthenticationOptions options, DashboardOptions settings, CookieSecurePolicy secure)
    {
        options.Cookie.Name = "baton.session";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = secure;
        options.ExpireTimeSpan = settings.SessionLifetime;
        options.SlidingExpiration = true;
        options.LoginPath = DashboardRoutes.SignIn;
        options.AccessDeniedPath = DashboardRoutes.Denied;
        options.Events.OnRedirectToLogin = context => RedirectOrStatus(context, DashboardRoutes.SignIn, StatusCodes.Status401Unauthorized);
        options.Events.OnRedirectToAccessDenied = context => RedirectOrStatus(context, DashboardRoutes.Denied, StatusCodes.Status403Forbidden);
    }

    /// <summary>The authentication middleware runs ahead of the host's status-code pages, so the problem body is written here.</summary>
    static Task RedirectOrStatus(RedirectContext<CookieAuthenticationOptions> context, string path, int status)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) && request.Path == DashboardRoutes.Home)
        {
            context.Response.Redirect(path);
            return Task.CompletedTask;
        }
        return RefuseAsync(context.HttpContext, status);
    }

    /// <summary>A 401 or 403 with its problem body.</summary>
    internal static Task RefuseAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        var (title, detail) = status == StatusCodes.Status401Unauthorized
            ? ("Unauthorized", "Sign in to the dashboard first.")
            : ("Forbidden", "Only configured members can see the dashboard.");
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }

    /// <summary>GitHub's OAuth web flow with PKCE and the state parameter (checked by the handler against its correlation
    /// cookie). No scope is asked for: reading the signed-in user needs none. The access token is used once, to read the
    /// login, and is not kept.</summary>
    static void ConfigureOAuth(OAuthOptions options, IOptions<DashboardOptions> dashboard, IOptions<GitHubOptions> github, CookieSecurePolicy secure)
    {
        var settings = dashboard.Value;
        var web = settings.OAuthUrl.ToString().TrimEnd('/');
        var api = github.Value.ApiUrl.ToString().TrimEnd('/');
        options.ClientId = settings.ClientId ?? "";
        options.ClientSecret = settings.ClientSecret ?? "";
        options.AuthorizationEndpoint = web + "/login/oauth/authorize";
        options.TokenEndpoint = web + "/login/oauth/access_token";
        options.UserInformationEndpoint = api + "/user";
        options.CallbackPath = DashboardRoutes.OAuthCallback;
        options.SignInScheme = CookieScheme;
        options.UsePkce = true;
        options.SaveTokens = false;
        options.Scope.Clear();
        options.CorrelationCookie.SameSite = SameSiteMode.Lax;
        options.CorrelationCookie.SecurePolicy = secure;
        options.Events.OnCreatingTicket = ReadGitHubUserAsync;
        options.Events.OnRemoteFailure = context =>
        {
            var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardSetup));
            DashboardLog.SignInFailed(logger, context.Failure?.Message ?? "unknown");
            context.Response.Redirect(DashboardRoutes.SignIn + "?failed=1");
            context.HandleResponse();
            return Task.CompletedTask;
        };
    }

    static async Task ReadGitHubUserAsync(OAuthCreatingTicketContext context)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, context.Options.UserInformationEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", context.AccessToken);
        request.Headers.Accept.ParseAdd("application/vnd.github+json");
        request.Headers.UserAgent.ParseAdd(GitHubServiceCollectionExtensions.UserAgent);
        using var response = await context.Backchannel.SendAsync(request, context.HttpContext.RequestAborted);
        if (!response.IsSuccessStatusCode)
            throw new AuthenticationFailureException($"GitHub answered {(int)response.StatusCode} when asked who signed in.");
        using var user = JsonDocument.Parse(await response.Content.ReadAsStringAsync(context.HttpContext.RequestAborted));
        if (!user.RootElement.TryGetProperty("login", out var loginElement) || loginElement.GetString() is not { Length: > 0 } login)
            throw new AuthenticationFailureException("GitHub's user answer has no login.");

        context.Identity!.AddClaim(new Claim(DashboardAccess.LoginClaim, login));
        context.Identity.AddClaim(new Claim(ClaimTypes.Name, login));
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardSetup));
        DashboardLog.SignedIn(logger, login, "github");
    }
}

/// <summary>The signed-in person must be a configured member (<see cref="DashboardAccess.IsMember"/>).</summary>
sealed class MemberRequirement : IAuthorizationRequirement;

sealed class MemberRequirementHandler(DashboardAccess access) : AuthorizationHandler<MemberRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, MemberRequirement requirement)
    {
        if (access.IsMember(DashboardAccess.LoginOf(context.User))) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
