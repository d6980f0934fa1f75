using Baton.Failures;

namespace Baton.Tests.Failures;

public sealed class RetryPolicyTests
{
    static ClassifiedFailure Failure(FailureClass failureClass, TimeSpan? retryAfter = null) => new(failureClass, retryAfter);

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

    [Theory]
    [InlineData(FailureClass.AuthFailed)]
    [InlineData(FailureClass.Permanent)]
    public void Never_retried_classes_stop_retrying(FailureClass failureClass) =>
        Assert.Null(new RetryPolicy(5, TimeSpan.FromSeconds(1)).NextDelay(1, Failure(failureClass), TimeSpan.Zero, 0));

    [Fact]
    public void A_final_failure_stops_retrying_whatever_its_class() =>
        Assert.Null(new RetryPolicy(5, TimeSpan.FromSeconds(1)).NextDelay(1, Failure(FailureClass.StaleWorker) with { IsFinal = true }, TimeSpan.Zero, 0));

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
    public void Exceptions_carry_their_class_and_retry_after_as_failure_properties()
    {
        var properties = new FailureClassProperties();
        var facts = properties.GetExceptionProperties(new ClassifiedFailureException(FailureClass.RateLimited, "slow down", TimeSpan.FromSeconds(7)))!;
        var failure = new Microsoft.DurableTask.TaskFailureDetails("Limited", "slow down", null, null, facts);

        Assert.Equal((FailureClass.RateLimited, TimeSpan.FromSeconds(7)), (FailureFacts.ClassOf(failure), FailureFacts.RetryAfterOf(failure)));
        Assert.Equal("Timeout", properties.GetExceptionProperties(new TimeoutException())![FailureFacts.Class]);
        Assert.Equal("Transient", properties.GetExceptionProperties(new HttpRequestException())![FailureFacts.Class]);
        Assert.Null(properties.GetExceptionProperties(new InvalidOperationException("x")));
        Assert.Equal(FailureClass.Unknown, FailureFacts.ClassOf(new Microsoft.DurableTask.TaskFailureDetails("X", "x", null, null, null)));
    }
}
