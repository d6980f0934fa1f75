using Baton.Failures;
using System.Net;
using System.Net.Sockets;
using Baton.Activities.GitHub;

using Baton.Tests.Infrastructure;

namespace Baton.Tests.GitHub;

/// <summary>Each failure class over real HTTP, and the short HTTP retry: Transient only, never beyond a short Retry-After.</summary>
public sealed class GitHubClientFailureTests : FakeGitHubTest
{
    const string IssuePath = "/repos/o/r/issues/1";
    const string Issue = RestPayloads.Issue;

    [Fact]
    public async Task Get_401BadCredentials_ThrowsAuthFailedWithoutRetry()
    {
        server.Serve("GET", IssuePath, FakeResponse.Json(401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"""));

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.AuthFailed, 401, true), (failure.FailureClass, failure.StatusCode, failure.FailureClass.IsNeverRetried()));
        Assert.Contains("Bad credentials", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count("GET", IssuePath));
    }

    [Fact]
    public async Task Get_PrimaryRateLimit_ThrowsRateLimitedUntilResetWithoutRetry()
    {
        var now = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
        github.Clock.Advance(now - github.Clock.Now);
        var headers = new Dictionary<string, string>
        {
            ["Date"] = now.ToString("r", System.Globalization.CultureInfo.InvariantCulture),
            ["X-RateLimit-Limit"] = "5000",
            ["X-RateLimit-Remaining"] = "0",
            ["X-RateLimit-Used"] = "5000",
            ["X-RateLimit-Reset"] = (now.ToUnixTimeSeconds() + 3025).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["X-RateLimit-Resource"] = "core",
        };
        server.Serve("GET", IssuePath, new FakeResponse(403,
            """{"message":"API rate limit exceeded for installation ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""", headers));

        var failure = await GetIssueFailureAsync();

        Assert.Equal(FailureClass.RateLimited, failure.FailureClass);
        Assert.Equal(TimeSpan.FromSeconds(3025), failure.RetryAfter);
        Assert.Equal(1, server.Count("GET", IssuePath));
        Assert.Equal(1, github.Client.Usage.RateLimitedResponses);
    }

    [Fact]
    public async Task Get_SecondaryRateLimitWithRemainingLeftAndRetryAfter_ThrowsRateLimitedForRetryAfter()
    {
        server.Serve("GET", IssuePath, FakeResponse.Json(403,
            """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}""",
            ("X-RateLimit-Remaining", "14"), ("X-RateLimit-Limit", "5000"), ("Retry-After", "60")));

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.RateLimited, TimeSpan.FromSeconds(60)), (failure.FailureClass, failure.RetryAfter));
        Assert.Equal(1, server.Count("GET", IssuePath));
    }

    [Fact]
    public async Task Post_ValidationFailed_ThrowsPermanent()
    {
        server.Serve("POST", "/repos/o/r/issues/1/comments", FakeResponse.Json(422, RestPayloads.ValidationFailed));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.CreateCommentAsync("o", "r", 1, "hi"));

        Assert.Equal((FailureClass.Permanent, 422), (failure.FailureClass, failure.StatusCode));
        Assert.Contains("Validation Failed", failure.Message, StringComparison.Ordinal);
    }

    [ConformanceFact]
    public async Task Get_RecordedPrimaryRateLimit_ThrowsRateLimitedUntilResetWithoutRetry()
    {
        var recorded = GitHubFixtures.RateLimit("primary_rate_limit_403");
        var headers = recorded.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);
        github.Clock.Advance(DateTimeOffset.Parse(headers["Date"], System.Globalization.CultureInfo.InvariantCulture) - github.Clock.Now);
        server.Serve("GET", IssuePath, new FakeResponse(403, recorded.GetProperty("body").GetRawText(), headers));

        var failure = await GetIssueFailureAsync();

        Assert.Equal(FailureClass.RateLimited, failure.FailureClass);
        Assert.Equal(TimeSpan.FromSeconds(3025), failure.RetryAfter);
        Assert.Equal(1, server.Count("GET", IssuePath));
        Assert.Equal(1, github.Client.Usage.RateLimitedResponses);
    }

    [ConformanceFact]
    public async Task Get_RecordedSecondaryRateLimitWithRemainingLeftAndRetryAfter_ThrowsRateLimitedForRetryAfter()
    {
        var headers = GitHubFixtures.RateLimit("secondary_rate_limit_headers_observed").GetProperty("headers")
            .EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!);
        headers["Retry-After"] = "60";
        server.Serve("GET", IssuePath, new FakeResponse(403, GitHubFixtures.RateLimit("secondary_rate_limit_403").GetProperty("body").GetRawText(), headers));

        var failure = await GetIssueFailureAsync();

        Assert.Equal("14", headers["X-RateLimit-Remaining"]);
        Assert.Equal((FailureClass.RateLimited, TimeSpan.FromSeconds(60)), (failure.FailureClass, failure.RetryAfter));
        Assert.Equal(1, server.Count("GET", IssuePath));
    }

    [Fact]
    public async Task Get_429WithShortRetryAfter_WaitsItOutOnceAndSucceeds()
    {
        server.Serve("GET", IssuePath, FakeResponse.Json(429, """{"message":"You have exceeded a secondary rate limit."}""", ("Retry-After", "1")), FakeResponse.Json(200, Issue));

        var started = DateTime.UtcNow;
        var result = await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Equal(1, result.Number);
        Assert.Equal(2, server.Count("GET", IssuePath));
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(0.9), "the client retried sooner than Retry-After");
    }

    [Fact]
    public async Task Get_404_ThrowsPermanentWithoutRetry()
    {
        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.Permanent, 404), (failure.FailureClass, failure.StatusCode));
        Assert.Equal(1, server.Count("GET", IssuePath));
    }

    [ConformanceFact]
    public async Task Post_RecordedValidationFailed_ThrowsPermanent()
    {
        var recorded = Assert.Single(GitHubFixtures.Recorded("errors"));
        server.Serve("POST", "/repos/o/r/issues/1/comments", new FakeResponse(recorded.Status, recorded.Body, recorded.Headers));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.CreateCommentAsync("o", "r", 1, "hi"));

        Assert.Equal((FailureClass.Permanent, 422), (failure.FailureClass, failure.StatusCode));
        Assert.Contains("Validation Failed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_403NotAccessibleByIntegration_ThrowsAuthFailed()
    {
        server.Serve("POST", "/repos/o/r/issues/1/comments",
            FakeResponse.Json(403, """{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/issues/comments#create-an-issue-comment"}""",
                ("X-RateLimit-Remaining", "4990")));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.CreateCommentAsync("o", "r", 1, "hi"));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
        Assert.Equal(1, server.Count("POST", "/repos/o/r/issues/1/comments"));
    }

    [Fact]
    public async Task Get_503ThenSuccess_RetriesWithinTheHttpLayer()
    {
        server.Serve("GET", IssuePath, FakeResponse.Json(503, ""), FakeResponse.Json(502, ""), FakeResponse.Json(200, Issue));

        var result = await github.Client.GetIssueAsync("o", "r", 1);

        Assert.Equal(1, result.Number);
        Assert.Equal(3, server.Count("GET", IssuePath));
    }

    [Fact]
    public async Task Get_503Persisting_ThrowsTransientAfterThreeAttempts()
    {
        server.Serve("GET", IssuePath, FakeResponse.Json(503, """{"message":"Service unavailable"}"""));

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.Transient, 503, false), (failure.FailureClass, failure.StatusCode, failure.FailureClass.IsNeverRetried()));
        Assert.Equal(3, server.Count("GET", IssuePath));
    }

    [Fact]
    public async Task Get_ConnectionRefused_ThrowsTransient()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var offline = new GitHubTestClient(server, settings: ("GitHub:ApiUrl", $"http://127.0.0.1:{closedPort}/"));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => offline.Client.GetIssueAsync("o", "r", 1));

        Assert.Equal((FailureClass.Transient, (int?)null), (failure.FailureClass, failure.StatusCode));
        Assert.IsType<HttpRequestException>(failure.InnerException);
    }

    [Fact]
    public async Task Get_NoCredentialsConfigured_ThrowsAuthFailedWithoutCallingGitHub()
    {
        using var unconfigured = new GitHubTestClient(server, settings: ("GitHub:Token", ""));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => unconfigured.Client.GetIssueAsync("o", "r", 1));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
        Assert.Empty(server.Received);
    }

    Task<GitHubApiException> GetIssueFailureAsync() =>
        Assert.ThrowsAsync<GitHubApiException>(() => github.Client.GetIssueAsync("o", "r", 1));
}
