using System.Security.Cryptography;
using System.Text;
using Baton.Activities.Voice;
using Baton.Durable.Http;
using Baton.Functions.Dashboard;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Voice;

/// <summary>Who is calling: an API key's name, or a dashboard member's login.</summary>
public sealed record VoiceCaller(string Name, bool ViaDashboard);

/// <summary>
/// Voice requests come from scripts (an API key: <c>Authorization: Bearer …</c> or <c>X-Api-Key</c>, compared in constant
/// time against every configured secret) or from the recorder page (the dashboard's session cookie, members only). A
/// cookie is sent by the browser on its own, so a cookie-authenticated POST must also carry the anti-forgery token in
/// its header; an API key cannot be sent by a third-party page, so it needs none.
/// </summary>
public sealed class VoiceCallers(IOptionsMonitor<VoiceOptions> options, IServiceProvider services, ILogger<VoiceCallers> logger)
{
    public const string ApiKeyHeader = "X-Api-Key";
    public const string AntiforgeryHeader = "RequestVerificationToken";

    /// <summary>The caller, or a 401/403/400 problem. <paramref name="changesState"/>: a POST, which a cookie alone does not
    /// authorise.</summary>
    public async Task<(VoiceCaller? Caller, IResult? Refusal)> IdentifyAsync(HttpContext http, bool changesState)
    {
        if (PresentedKey(http.Request) is { } presented)
        {
            if (KeyName(presented) is { } name) return (new VoiceCaller(name, ViaDashboard: false), null);
            return Refuse(http, StatusCodes.Status401Unauthorized, "Unauthorized", "The API key is not valid.", "unknown API key");
        }

        var access = services.GetService<DashboardAccess>();
        if (access is null)
            return Refuse(http, StatusCodes.Status401Unauthorized, "Unauthorized",
                $"Send an API key (Authorization: Bearer … or {ApiKeyHeader}).", "no credentials");
        var session = await http.AuthenticateAsync(DashboardSetup.DashboardScheme);
        if (!session.Succeeded || DashboardAccess.LoginOf(session.Principal!) is not { } login)
            return Refuse(http, StatusCodes.Status401Unauthorized, "Unauthorized",
                $"Send an API key (Authorization: Bearer … or {ApiKeyHeader}) or sign in to the dashboard.", "no credentials");
        if (!access.IsMember(login))
            return Refuse(http, StatusCodes.Status403Forbidden, "Forbidden", "Only dashboard members can send voice requests.", "not a member");

        http.User = session.Principal!;
        // Checked before anything reads the body: without the header, the antiforgery service would read a form body whole.
        if (changesState && (!http.Request.Headers.ContainsKey(AntiforgeryHeader)
                             || !await services.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http)))
            return Refuse(http, StatusCodes.Status400BadRequest, "Bad request",
                $"A signed-in request must carry the page's anti-forgery token ({AntiforgeryHeader} header): reload the page and try again.",
                "missing or invalid anti-forgery token");
        return (new VoiceCaller(login, ViaDashboard: true), null);
    }

    static string? PresentedKey(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        return request.Headers.TryGetValue(ApiKeyHeader, out var key) ? key.ToString().Trim() : null;
    }

    /// <summary>Compares against every secret, whatever matched earlier, and through fixed-length digests, so neither the
    /// time taken nor a secret's length says anything about the keys.</summary>
    string? KeyName(string presented)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var (name, secret) in options.CurrentValue.Keys)
            if (CryptographicOperations.FixedTimeEquals(digest, SHA256.HashData(Encoding.UTF8.GetBytes(secret))))
                match ??= name;
        return match;
    }

    (VoiceCaller?, IResult?) Refuse(HttpContext http, int status, string title, string detail, string reason)
    {
        VoiceLog.Unauthenticated(logger, http.Request.Method, UntrustedText.ForLog(http.Request.Path.Value), reason);
        return (null, TypedResults.Problem(detail, statusCode: status, title: title));
    }
}
