namespace Baton.Durable.Tests.Execution;

public sealed class RetryPolicyTests
{
    static TaskFailureDetails Failure(FailureClass failureClass, TimeSpan? retryAfter = null) =>
        new("Boom", "x", FailureClass: failureClass, RetryAfter: retryAfter);

    [Theory]
    [InlineData(0, 1, 1.0)]
    [InlineData(1, 0, 1.0)]
    [InlineData(1, 1, 0.5)]
    public void Invalid_policies_are_rejected(int attempts, int firstSeconds, double coefficient) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(attempts, TimeSpan.FromSeconds(firstSeconds), coefficient));

    [Fact]
    public void Max_interval_below_first_interval_is_rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(3, TimeSpan.FromSeconds(10), maxRetryInterval: TimeSpan.FromSeconds(5)));

    [Fact]
    public void Delay_grows_exponentially_and_is_capped()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(1), 3, maxRetryInterval: TimeSpan.FromSeconds(20));
        var delays = Enumerable.Range(1, 5).Select(policy.BaseDelay).ToList();
        Assert.Equal([1, 3, 9, 20, 20], delays.Select(d => d.TotalSeconds));
    }

    [Fact]
    public void Retry_timeout_stops_retrying_even_with_attempts_left()
    {
        var policy = new RetryPolicy(10, TimeSpan.FromSeconds(10), retryTimeout: TimeSpan.FromSeconds(25));
        Assert.NotNull(policy.NextDelay(1, Failure(FailureClass.Unknown), TimeSpan.FromSeconds(0), 0));
        Assert.Null(policy.NextDelay(2, Failure(FailureClass.Unknown), TimeSpan.FromSeconds(20), 0));
    }

    [Fact]
    public void Last_attempt_is_never_followed_by_a_delay() =>
        Assert.Null(new RetryPolicy(2, TimeSpan.FromSeconds(1)).NextDelay(2, Failure(FailureClass.Transient), TimeSpan.Zero, 0));

    [Fact]
    public void Non_retriable_failures_stop_retrying() =>
        Assert.Null(new RetryPolicy(5, TimeSpan.FromSeconds(1)).NextDelay(1, Failure(FailureClass.Unknown) with { IsNonRetriable = true }, TimeSpan.Zero, 0));

    [Fact]
    public void Resource_exhausted_waits_for_the_announced_window()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromMinutes(10), policy.NextDelay(1, Failure(FailureClass.ResourceExhausted, TimeSpan.FromMinutes(10)), TimeSpan.Zero, 0));
    }

    [Fact]
    public void Transient_jitter_is_bounded_and_deterministic()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(10));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.NextDelay(1, Failure(FailureClass.Transient), TimeSpan.Zero, 0));
        Assert.Equal(TimeSpan.FromSeconds(11), policy.NextDelay(1, Failure(FailureClass.Transient), TimeSpan.Zero, 0.5));
        Assert.Equal(TimeSpan.FromSeconds(10), policy.NextDelay(1, Failure(FailureClass.Unknown), TimeSpan.Zero, 0.5));
    }

    [Fact]
    public void Failure_details_classify_exceptions()
    {
        Assert.Equal(FailureClass.Timeout, TaskFailureDetails.FromException(new TimeoutException()).FailureClass);
        Assert.Equal(FailureClass.Transient, TaskFailureDetails.FromException(new HttpRequestException()).FailureClass);
        var limited = TaskFailureDetails.FromException(new DurableFailureException(FailureClass.RateLimited, "slow down", TimeSpan.FromSeconds(7)));
        Assert.Equal((FailureClass.RateLimited, TimeSpan.FromSeconds(7)), (limited.FailureClass, limited.RetryAfter));
        Assert.False(TaskFailureDetails.FromException(new DurableFailureException(FailureClass.AuthFailed, "bad token")).IsRetriable);
        Assert.True(TaskFailureDetails.FromException(new InvalidOperationException("x", new TimeoutException())).IsCausedBy<TimeoutException>());
        Assert.False(TaskFailureDetails.FromException(new InvalidOperationException("x")).IsCausedBy<TimeoutException>());
    }
}
