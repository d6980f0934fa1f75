using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Baton.Failures;

namespace Baton.Tests.GitHub;

/// <summary>
/// GitHub App authentication against the fake server, which checks each JWT the way GitHub does (RS256 signature with
/// the App's public key, issuer, issued-at and a lifetime of at most ten minutes) before minting an installation token.
/// </summary>
public sealed class GitHubAppAuthTests : IAsyncLifetime
{
    const string AppId = "123456";
    const long InstallationId = 42;
    static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    readonly RSA appKey = RSA.Create(2048);
    readonly ManualClock clock = new(Start);
    readonly List<string> jwtProblems = [];
    FakeGitHubServer server = null!;
    int minted;

    public async Task InitializeAsync()
    {
        server = await FakeGitHubServer.StartAsync();
        server.Handle("POST", $"/app/installations/{InstallationId}/access_tokens", MintToken);
        server.Handle("GET", "/repos/o/r/installation", request => CheckJwt(request)
            ? FakeResponse.Json(200, $$"""{"id": {{InstallationId}}, "app_id": {{AppId}}, "target_type": "Organization"}""")
            : FakeResponse.Json(401, """{"message":"A JSON web token could not be decoded"}"""));
        server.Handle("GET", "/repos/o/r/issues/1", request => request.Header("Authorization") is { } auth && auth.StartsWith("Bearer ghs_", StringComparison.Ordinal)
            ? FakeResponse.Json(200, RestPayloads.Issue)
            : FakeResponse.Json(401, """{"message":"Bad credentials"}"""));
    }

    public async Task DisposeAsync()
    {
        appKey.Dispose();
        await server.DisposeAsync();
    }

    [Fact]
    public async Task Call_AsApp_MintsOneInstallationTokenWithAValidJwtAndReusesIt()
    {
        using var github = AppClient(("GitHub:InstallationId", InstallationId.ToString(System.Globalization.CultureInfo.InvariantCulture)));

        await github.Client.GetIssueAsync("o", "r", 1);
        await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Empty(jwtProblems);
        Assert.Equal(1, minted);
        Assert.Equal(["Bearer ghs_token1", "Bearer ghs_token1"], IssueAuthorizations());
    }

    [Fact]
    public async Task Call_TokenNearExpiry_MintsAFreshOneBeforeItExpires()
    {
        using var github = AppClient(("GitHub:InstallationId", "42"), ("GitHub:TokenRefreshMargin", "00:05:00"));

        await github.Client.GetIssueAsync("o", "r", 1);
        clock.Advance(TimeSpan.FromMinutes(54));
        await github.Client.GetIssueAsync("o", "r", 1);
        clock.Advance(TimeSpan.FromMinutes(2));
        await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Empty(jwtProblems);
        Assert.Equal(["Bearer ghs_token1", "Bearer ghs_token1", "Bearer ghs_token2"], IssueAuthorizations());
    }

    [Fact]
    public async Task Call_ManyAtOnce_ShareOneMintedToken()
    {
        using var github = AppClient(("GitHub:InstallationId", "42"));

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => github.Client.GetIssueAsync("o", "r", 1)));

        Assert.Equal(1, minted);
        Assert.All(IssueAuthorizations(), auth => Assert.Equal("Bearer ghs_token1", auth));
    }

    [Fact]
    public async Task Call_WithoutInstallationId_FindsTheRepositoryInstallationOnce()
    {
        using var github = AppClient();

        await github.Client.GetIssueAsync("o", "r", 1);
        await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Empty(jwtProblems);
        Assert.Equal(1, server.Count("GET", "/repos/o/r/installation"));
        Assert.Equal(1, minted);
    }

    [Fact]
    public async Task Call_PrivateKeyOnOneLine_AcceptsEscapedNewlines()
    {
        using var github = AppClient(("GitHub:InstallationId", "42"), ("GitHub:PrivateKey", appKey.ExportRSAPrivateKeyPem().Replace("\n", "\\n", StringComparison.Ordinal)));

        await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Empty(jwtProblems);
        Assert.Equal(1, minted);
    }

    [Fact]
    public async Task Call_InstallationTokenRevoked_FailsAsAuthFailedThenMintsANewToken()
    {
        server.Handle("GET", "/repos/o/r/issues/2", request => request.Header("Authorization") == "Bearer ghs_token1"
            ? FakeResponse.Json(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""")
            : FakeResponse.Json(200, RestPayloads.Issue));
        using var github = AppClient();

        var revoked = await Assert.ThrowsAsync<Baton.Activities.GitHub.GitHubApiException>(() => github.Client.GetIssueAsync("o", "r", 2));
        var issue = await github.Client.GetIssueAsync("o", "r", 2);

        Assert.Equal(FailureClass.AuthFailed, revoked.FailureClass);
        Assert.Equal(1, issue.Number);
        Assert.Equal(2, minted);
    }

    GitHubTestClient AppClient(params (string Key, string Value)[] settings) =>
        new(server, clock, [("GitHub:Token", ""), ("GitHub:AppId", AppId), ("GitHub:PrivateKey", appKey.ExportPkcs8PrivateKeyPem()), .. settings]);

    string[] IssueAuthorizations() =>
        server.Received.Where(r => r.PathAndQuery == "/repos/o/r/issues/1").Select(r => r.Header("Authorization") ?? "(none)").ToArray();

    FakeResponse MintToken(ReceivedRequest request)
    {
        if (!CheckJwt(request)) return FakeResponse.Json(401, """{"message":"A JSON web token could not be decoded"}""");
        var number = Interlocked.Increment(ref minted);
        var expiresAt = clock.Now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        return FakeResponse.Json(201, $$"""{"token": "ghs_token{{number}}", "expires_at": "{{expiresAt}}", "permissions": {"issues": "write"}, "repository_selection": "all"}""");
    }

    /// <summary>GitHub's checks on an App JWT; a failed check is recorded for the test to report.</summary>
    bool CheckJwt(ReceivedRequest request)
    {
        var auth = request.Header("Authorization") ?? "";
        var parts = auth.StartsWith("Bearer ", StringComparison.Ordinal) ? auth["Bearer ".Length..].Split('.') : [];
        if (parts.Length != 3) return Problem($"not a JWT: '{auth[..Math.Min(auth.Length, 12)]}'");

        using var header = JsonDocument.Parse(FromBase64Url(parts[0]));
        if (header.RootElement.GetProperty("alg").GetString() != "RS256") return Problem("alg is not RS256");
        var signed = appKey.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (!signed) return Problem("signature does not verify with the App's public key");

        using var claims = JsonDocument.Parse(FromBase64Url(parts[1]));
        var iat = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("iat").GetInt64());
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        if (claims.RootElement.GetProperty("iss").GetString() != AppId) return Problem("iss is not the App id");
        if (iat > clock.Now || iat < clock.Now.AddMinutes(-2)) return Problem($"iat {iat} is not just before now {clock.Now}");
        if (exp <= clock.Now || exp > clock.Now.AddMinutes(10)) return Problem($"exp {exp} is not within ten minutes of now {clock.Now}");
        return true;
    }

    bool Problem(string problem)
    {
        lock (jwtProblems) jwtProblems.Add(problem);
        return false;
    }

    static byte[] FromBase64Url(string value)
    {
        var base64 = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '='));
    }
}
