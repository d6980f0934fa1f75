using Baton.Activities.Jira;
using Baton.Failures;

namespace Baton.Tests.Jira;

/// <summary>Jira's answers in the one failure taxonomy (ARCHITECTURE.md §2.6).</summary>
public sealed class JiraFailuresTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, null, null)]
    [InlineData(204, null, null)]
    [InlineData(401, null, FailureClass.AuthFailed)]
    [InlineData(403, null, FailureClass.AuthFailed)]
    [InlineData(404, null, FailureClass.Permanent)]
    [InlineData(400, null, FailureClass.Permanent)]
    [InlineData(408, null, FailureClass.Transient)]
    [InlineData(500, null, FailureClass.Transient)]
    [InlineData(503, null, FailureClass.Transient)]
    [InlineData(429, "7", FailureClass.RateLimited)]
    public void Classify_MapsStatus(int status, string? retryAfter, FailureClass? expected) =>
        Assert.Equal(expected, JiraFailures.Classify(status, retryAfter, Now)?.Class);

    [Theory]
    [InlineData("7", 7)]
    [InlineData("Thu, 03 Dec 2026 12:01:00 GMT", 60)]
    [InlineData(null, 30)]
    [InlineData("soon", 30)]
    public void RateLimited_WaitsAsTheServerAsked(string? retryAfter, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), JiraFailures.Classify(429, retryAfter, Now)!.RetryAfter);
}
