using Baton.Failures;
using Baton.Activities.GitHub;
using Baton.Durable;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.GitHub;

/// <summary>The single classification function, table-tested; rate-limit rows use the recorded answers in rate-limits.json.</summary>
public sealed class GitHubFailuresTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);
    static readonly string InFiveMinutes = Now.AddMinutes(5).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
    static readonly string InTenSeconds = Now.AddSeconds(10).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static TheoryData<string, GitHubResponseFacts, FailureClass?, TimeSpan?> Cases => new()
    {
        { "200 succeeds", new(200), null, null },
        { "201 succeeds", new(201), null, null },
        { "304 is a cache hit, not a failure", new(304), null, null },
        { "401 bad credentials", new(401, Message: "Bad credentials"), FailureClass.AuthFailed, null },
        { "403 primary limit waits until reset", new(403, RateLimitRemaining: "0", RateLimitReset: InFiveMinutes, Message: "API rate limit exceeded for user ID 1."), FailureClass.RateLimited, TimeSpan.FromMinutes(5) },
        { "429 primary limit waits until reset", new(429, RateLimitRemaining: "0", RateLimitReset: InFiveMinutes), FailureClass.RateLimited, TimeSpan.FromMinutes(5) },
        { "403 retry-after wins over reset", new(403, RetryAfter: "30", RateLimitRemaining: "0", RateLimitReset: InFiveMinutes), FailureClass.RateLimited, TimeSpan.FromSeconds(30) },
        { "429 retry-after alone", new(429, RetryAfter: "7"), FailureClass.RateLimited, TimeSpan.FromSeconds(7) },
        { "403 secondary limit with remaining > 0 and retry-after", new(403, RetryAfter: "45", RateLimitRemaining: "14", RateLimitReset: InFiveMinutes), FailureClass.RateLimited, TimeSpan.FromSeconds(45) },
        { "403 secondary limit by message, reset soon: at least a minute", new(403, RateLimitRemaining: "14", RateLimitReset: InTenSeconds, Message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."), FailureClass.RateLimited, TimeSpan.FromMinutes(1) },
        { "403 secondary limit by message, reset later: until reset", new(403, RateLimitRemaining: "14", RateLimitReset: InFiveMinutes, Message: "You have exceeded a secondary rate limit."), FailureClass.RateLimited, TimeSpan.FromMinutes(5) },
        { "403 secondary limit without headers: a minute", new(403, Message: "You have exceeded a secondary rate limit."), FailureClass.RateLimited, TimeSpan.FromMinutes(1) },
        { "429 without any header: a minute", new(429), FailureClass.RateLimited, TimeSpan.FromMinutes(1) },
        { "403 reset in the past: no wait", new(403, RateLimitRemaining: "0", RateLimitReset: "1377013266"), FailureClass.RateLimited, TimeSpan.Zero },
        { "403 app lacks a permission", new(403, RateLimitRemaining: "4999", Message: "Resource not accessible by integration"), FailureClass.AuthFailed, null },
        { "403 other (e.g. blocked)", new(403, RateLimitRemaining: "4999", Message: "Repository access blocked"), FailureClass.Permanent, null },
        { "400 bad request", new(400, Message: "Problems parsing JSON"), FailureClass.Permanent, null },
        { "404 not found", new(404, Message: "Not Found"), FailureClass.Permanent, null },
        { "405 not mergeable", new(405, Message: "Pull Request is not mergeable"), FailureClass.Permanent, null },
        { "409 conflict", new(409, Message: "Head branch was modified."), FailureClass.Permanent, null },
        { "410 gone", new(410, Message: "Issues are disabled for this repo"), FailureClass.Permanent, null },
        { "422 validation failed", new(422, Message: "Validation Failed"), FailureClass.Permanent, null },
        { "408 request timeout", new(408), FailureClass.Transient, null },
        { "500 server error", new(500), FailureClass.Transient, null },
        { "502 bad gateway", new(502), FailureClass.Transient, null },
        { "503 unavailable", new(503), FailureClass.Transient, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Classify_Response_GivesClassAndWait(string name, GitHubResponseFacts response, FailureClass? expectedClass, TimeSpan? expectedWait)
    {
        var failure = GitHubFailures.Classify(response, Now);

        Assert.True(expectedClass == failure?.Class, $"{name}: expected {expectedClass}, got {failure?.Class}");
        Assert.Equal(expectedWait, failure?.RetryAfter);
    }

    [ConformanceFact]
    public void Classify_RecordedPrimaryLimit_WaitsUntilRecordedReset()
    {
        var recorded = GitHubFixtures.RateLimit("primary_rate_limit_403");
        var headers = recorded.GetProperty("headers");
        var at = DateTimeOffset.Parse(headers.GetProperty("Date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var failure = GitHubFailures.Classify(new GitHubResponseFacts(
            recorded.GetProperty("status").GetInt32(),
            RateLimitRemaining: headers.GetProperty("X-RateLimit-Remaining").GetString(),
            RateLimitReset: headers.GetProperty("X-RateLimit-Reset").GetString(),
            Message: recorded.GetProperty("body").GetProperty("message").GetString()), at);

        Assert.Equal(new GitHubFailure(FailureClass.RateLimited, TimeSpan.FromSeconds(1377013266 - at.ToUnixTimeSeconds())), failure);
    }

    [ConformanceFact]
    public void Classify_RecordedSecondaryLimitWithRemainingLeft_IsRateLimitedForAtLeastAMinute()
    {
        var headers = GitHubFixtures.RateLimit("secondary_rate_limit_headers_observed").GetProperty("headers");
        var body = GitHubFixtures.RateLimit("secondary_rate_limit_403").GetProperty("body");
        var at = DateTimeOffset.Parse(headers.GetProperty("Date").GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        var failure = GitHubFailures.Classify(new GitHubResponseFacts(
            403,
            RateLimitRemaining: headers.GetProperty("X-RateLimit-Remaining").GetString(),
            RateLimitReset: headers.GetProperty("X-RateLimit-Reset").GetString(),
            Message: body.GetProperty("message").GetString()), at);

        Assert.Equal("14", headers.GetProperty("X-RateLimit-Remaining").GetString());
        Assert.Equal(FailureClass.RateLimited, failure?.Class);
        Assert.True(failure!.RetryAfter >= GitHubFailures.SecondaryLimitMinimumWait);
    }
}

public sealed class GitHubLinksTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("<https://api.github.com/repositories/1000/issues?per_page=3&page=2>; rel=\"next\", <https://api.github.com/repositories/1000/issues?per_page=3&page=5>; rel=\"last\"",
        "https://api.github.com/repositories/1000/issues?per_page=3&page=2")]
    [InlineData("<https://api.github.com/r?page=4>; rel=\"prev\", <https://api.github.com/r?page=1>; rel=\"first\"", null)]
    [InlineData("<https://api.github.com/r?page=1>; rel=\"prev\", <https://api.github.com/r?page=3>; rel=\"next\"", "https://api.github.com/r?page=3")]
    public void Next_LinkHeader_GivesNextPage(string? header, string? expected) =>
        Assert.Equal(expected, GitHubLinks.Next(header));
}
