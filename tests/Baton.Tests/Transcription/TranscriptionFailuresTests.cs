using Baton.Activities.Transcription;
using Baton.Failures;

namespace Baton.Tests.Transcription;

/// <summary>The status table and Retry-After reading shared by both HTTP providers.</summary>
public sealed class TranscriptionFailuresTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(200, null)]
    [InlineData(204, null)]
    [InlineData(400, FailureClass.Permanent)]
    [InlineData(401, FailureClass.AuthFailed)]
    [InlineData(403, FailureClass.AuthFailed)]
    [InlineData(404, FailureClass.Permanent)]
    [InlineData(408, FailureClass.Transient)]
    [InlineData(413, FailureClass.Permanent)]
    [InlineData(429, FailureClass.RateLimited)]
    [InlineData(499, FailureClass.Permanent)]
    [InlineData(500, FailureClass.Transient)]
    [InlineData(503, FailureClass.Transient)]
    [InlineData(529, FailureClass.Transient)]
    public void Classify_Status(int status, FailureClass? expected) => Assert.Equal(expected, TranscriptionFailures.Classify(status));

    [Theory]
    [InlineData("17", 17)]
    [InlineData(" 0 ", 0)]
    [InlineData("-5", 0)]
    [InlineData("Thu, 03 Dec 2026 12:00:30 GMT", 30)]
    [InlineData("Thu, 03 Dec 2026 11:59:00 GMT", 0)]
    public void RetryAfter_SecondsOrADate(string header, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), TranscriptionFailures.RetryAfter(header, Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    public void RetryAfter_Unreadable_IsNull(string? header) => Assert.Null(TranscriptionFailures.RetryAfter(header, Now));
}
