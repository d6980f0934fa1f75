using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;

namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// GitHub's OAuth web flow, enough for a dashboard sign-in: <c>GET /login/oauth/authorize</c> approves at once as
/// <see cref="OAuthLogin"/> (there is no consent page to click) and redirects back with a one-time code and the caller's
/// state; <c>POST /login/oauth/access_token</c> trades the code for a token, checking the app's secret, the redirect URI
/// and, when the request used one, the PKCE verifier; <c>GET /user</c> answers with the user a token was issued to.
/// Failures are answered as GitHub does: a 200 with an <c>error</c> field from the token endpoint.
/// </summary>
public sealed partial class GitHubEmulator
{
    const string OAuthTokenPrefix = "gho_";
    readonly ConcurrentDictionary<string, string> oauthApps = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, OAuthGrant> oauthCodes = new(StringComparer.Ordinal);
    readonly ConcurrentDictionary<string, string> oauthTokens = new(StringComparer.Ordinal);

    /// <summary>Who is "signed in to GitHub" in the browser: authorize requests are approved as this login. Null: they are
    /// refused, as if the person declined.</summary>
    public string? OAuthLogin { get; set; }

    /// <summary>Registers an OAuth app, as on github.com's developer settings.</summary>
    public void AddOAuthApp(string clientId, string clientSecret) => oauthApps[clientId] = clientSecret;

    /// <summary>How many access tokens have been issued (each sign-in takes one).</summary>
    public int OAuthTokensIssued => oauthTokens.Count;

    sealed record OAuthGrant(string ClientId, string RedirectUri, string Login, string? CodeChallenge);

    void MapOAuthRoutes(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/login/oauth/authorize", Authorize);
        routes.MapPost("/login/oauth/access_token", ExchangeCodeAsync);
        routes.MapGet("/user", CurrentUser);
    }

    IResult Authorize(HttpContext context)
    {
        var query = context.Request.Query;
        var clientId = query["client_id"].ToString();
        var redirectUri = query["redirect_uri"].ToString();
        if (!oauthApps.ContainsKey(clientId)) return Results.Text("Unknown OAuth application.", statusCode: 404);
        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out _)) return Results.Text("redirect_uri is required.", statusCode: 400);
        if (query["code_challenge"].Count > 0 && query["code_challenge_method"].ToString() != "S256")
            return Results.Text("Only the S256 code challenge method is supported.", statusCode: 400);

        var back = new Dictionary<string, string?>();
        if (OAuthLogin is not { } login) back["error"] = "access_denied";
        else
        {
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));
            oauthCodes[code] = new OAuthGrant(clientId, redirectUri, login, query["code_challenge"].FirstOrDefault());
            back["code"] = code;
        }
        if (query["state"].Count > 0) back["state"] = query["state"].ToString();
        return Results.Redirect(QueryHelpers.AddQueryString(redirectUri, back));
    }

    async Task ExchangeCodeAsync(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        string Field(string name) => form?[name].ToString() ?? "";

        var clientId = Field("client_id");
        if (!oauthApps.TryGetValue(clientId, out var secret) || secret != Field("client_secret"))
        {
            await TokenErrorAsync(context, "incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
            return;
        }
        if (!oauthCodes.TryRemove(Field("code"), out var grant) || grant.ClientId != clientId)
        {
            await TokenErrorAsync(context, "bad_verification_code", "The code passed is incorrect or expired.");
            return;
        }
        if (form!["redirect_uri"].Count > 0 && Field("redirect_uri") != grant.RedirectUri)
        {
            await TokenErrorAsync(context, "redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL for this application.");
            return;
        }
        if (grant.CodeChallenge is { } challenge && !VerifierMatches(Field("code_verifier"), challenge))
        {
            await TokenErrorAsync(context, "bad_verification_code", "The code_verifier does not match the code_challenge.");
            return;
        }

        var token = OAuthTokenPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        oauthTokens[token] = grant.Login;
        await EmulatorReplies.JsonAsync(context, new JsonObject { ["access_token"] = token, ["token_type"] = "bearer", ["scope"] = "" });
    }

    static bool VerifierMatches(string verifier, string challenge) =>
        verifier.Length > 0 && WebEncoders.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))) == challenge;

    static Task TokenErrorAsync(HttpContext context, string error, string description) =>
        EmulatorReplies.JsonAsync(context, new JsonObject
        {
            ["error"] = error,
            ["error_description"] = description,
            ["error_uri"] = "https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors",
        });

    /// <summary>An issued OAuth token answers as its user; an unknown OAuth-shaped token is refused; any other token is the
    /// API's own (<see cref="ApiUser"/>).</summary>
    IResult CurrentUser(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.Split(' ', 2) is [var scheme, var value] && (scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase)
            || scheme.Equals("token", StringComparison.OrdinalIgnoreCase)) ? value.Trim() : "";
        if (oauthTokens.TryGetValue(token, out var login)) return UserReply(login);
        if (token.StartsWith(OAuthTokenPrefix, StringComparison.Ordinal)) throw new EmulatorHttpException(401, "Bad credentials");
        return UserReply(ApiUser);
    }

    IResult UserReply(string login) => Results.Text(store.Json.User(login).ToJsonString(), "application/json; charset=utf-8");
}
