using Baton.Failures;
using Baton.Activities.GitHub;
using Baton.Demo.GitHubEmulator;


namespace Baton.Tests.Emulator;

/// <summary>Each injected fault reaches the real client as the failure class GitHub's real answer would.</summary>
public sealed class EmulatorFaultTests : IAsyncLifetime
{
    const string IssuePath = "/repos/acme/widgets/issues/1";
    const string IssueRoute = "GET /repos/{owner}/{repo}/issues/{number}";
    EmulatorHarness harness = null!;

    GitHubEmulator Emulator => harness.Emulator;

    public async Task InitializeAsync()
    {
        harness = await EmulatorHarness.StartAsync();
        Emulator.CreateIssue(EmulatorHarness.Repo, "t");
    }

    public async Task DisposeAsync() => await harness.DisposeAsync();

    Task<GitHubApiException> GetIssueFailureAsync() =>
        Assert.ThrowsAsync<GitHubApiException>(() => harness.Client.GetIssueAsync("acme", "widgets", 1));

    [Fact]
    public async Task PrimaryRateLimit_IsRateLimitedUntilTheReset()
    {
        Emulator.Faults.Enqueue(EmulatedFault.PrimaryRateLimit, "GET", IssuePath, wait: TimeSpan.FromMinutes(10));

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.RateLimited, 403), (failure.FailureClass, failure.StatusCode));
        Assert.InRange(failure.RetryAfter!.Value, TimeSpan.FromMinutes(9), TimeSpan.FromMinutes(10));
        Assert.Equal(1, Emulator.Usage.Count(IssueRoute));
        Assert.Equal(0, Emulator.Usage.RateLimited);
    }

    [Theory]
    [InlineData(EmulatedFault.SecondaryRateLimit, 403)]
    [InlineData(EmulatedFault.TooManyRequests, 429)]
    public async Task SecondaryLimit_IsRateLimitedForItsRetryAfter(EmulatedFault fault, int status)
    {
        Emulator.Faults.Enqueue(fault, "GET", IssuePath, wait: TimeSpan.FromSeconds(90));

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.RateLimited, status, TimeSpan.FromSeconds(90)), (failure.FailureClass, failure.StatusCode, failure.RetryAfter));
    }

    [Fact]
    public async Task ShortRetryAfter_IsWaitedOutByTheClient()
    {
        Emulator.Faults.Enqueue(EmulatedFault.TooManyRequests, "GET", IssuePath, wait: TimeSpan.FromSeconds(1));

        var issue = await harness.Client.GetIssueAsync("acme", "widgets", 1);

        Assert.Equal(1, issue.Number);
        Assert.Equal(2, Emulator.Usage.Count(IssueRoute));
    }

    [Fact]
    public async Task Unauthorized_IsAuthFailedWithoutRetry()
    {
        Emulator.Faults.Enqueue(EmulatedFault.Unauthorized, "*", "/repos/**", times: 5);

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.AuthFailed, 401), (failure.FailureClass, failure.StatusCode));
        Assert.Equal(4, Emulator.Faults.Waiting);
    }

    [Theory]
    [InlineData(EmulatedFault.ServerError, 500)]
    [InlineData(EmulatedFault.BadGateway, 502)]
    public async Task ServerErrors_AreTransientAfterTheShortRetry(EmulatedFault fault, int status)
    {
        Emulator.Faults.Enqueue(fault, "GET", "/repos/*/*/issues/*", times: 3);

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.Transient, status), (failure.FailureClass, failure.StatusCode));
        Assert.Equal(3, Emulator.Usage.Count(IssueRoute));
    }

    [Fact]
    public async Task OneServerError_IsRetriedThrough()
    {
        Emulator.Faults.Enqueue(EmulatedFault.ServerError, "POST", "/repos/acme/widgets/issues/1/comments");

        var comment = await harness.Client.CreateCommentAsync("acme", "widgets", 1, "after a blip");

        Assert.Equal("after a blip", comment.Body);
        Assert.Equal(0, Emulator.Faults.Waiting);
        Assert.Equal(["after a blip"], Emulator.GetIssue(new EmulatedIssueRef(EmulatorHarness.Repo, 1, 0)).Comments);
    }

    [Fact]
    public async Task UsedUpLimit_AnswersPrimaryRateLimitUntilTheReset()
    {
        Emulator.Usage.Limit = 2;
        await harness.Client.GetIssueAsync("acme", "widgets", 1);
        await harness.Client.ListCommentsAsync("acme", "widgets", 1);

        var failure = await GetIssueFailureAsync();

        Assert.Equal((FailureClass.RateLimited, 403), (failure.FailureClass, failure.StatusCode));
        Assert.InRange(failure.RetryAfter!.Value, TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(60));
        Assert.Equal(2, Emulator.Usage.RateLimited);
    }

    [Fact]
    public async Task Faults_OnlyHitMatchingRequests()
    {
        Emulator.Faults.Enqueue(EmulatedFault.ServerError, "POST", IssuePath + "/labels", times: 3);

        var issue = await harness.Client.GetIssueAsync("acme", "widgets", 1);

        Assert.Equal(1, issue.Number);
        Assert.Equal(3, Emulator.Faults.Waiting);
    }
}
