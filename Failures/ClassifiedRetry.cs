using System.Globalization;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;

namespace Baton.Failures;

/// <summary>
/// Baton's failure classes (ARCHITECTURE.md §2.6) on the Durable Task SDK: an activity's exception carries its class
/// and Retry-After as failure properties (<see cref="FailureClassProperties"/>), and a retry handler
/// (<see cref="ClassifiedRetry"/>) reads them: AuthFailed and Permanent are never retried, RateLimited and
/// ResourceExhausted never sooner than Retry-After, Transient with deterministic jitter.
/// </summary>
public static class FailureFacts
{
    /// <summary>The failure property holding the <see cref="FailureClass"/> name.</summary>
    public const string Class = "baton.failureClass";

    /// <summary>The failure property holding the server's Retry-After, in milliseconds.</summary>
    public const string RetryAfterMs = "baton.retryAfterMs";

    /// <summary>The failure property saying no retry policy may retry it, whatever its class (true when present).</summary>
    public const string Final = "baton.final";

    /// <summary>The class an activity's failure carries; <see cref="FailureClass.Unknown"/> when it carries none.</summary>
    public static FailureClass ClassOf(TaskFailureDetails failure) =>
        failure.Properties?.TryGetValue(Class, out var value) == true && Enum.TryParse<FailureClass>(value?.ToString(), out var parsed)
            ? parsed
            : FailureClass.Unknown;

    /// <summary>The properties that carry <paramref name="failureClass"/> (and <paramref name="retryAfter"/>) in a failure.</summary>
    public static Dictionary<string, object?> For(FailureClass failureClass, TimeSpan? retryAfter = null, bool final = false)
    {
        var facts = new Dictionary<string, object?> { [Class] = failureClass.ToString() };
        if (retryAfter is { } after) facts[RetryAfterMs] = after.TotalMilliseconds;
        if (final) facts[Final] = true;
        return facts;
    }

    public static bool IsFinal(TaskFailureDetails failure) => failure.Properties?.ContainsKey(Final) == true;

    public static TimeSpan? RetryAfterOf(TaskFailureDetails failure) =>
        failure.Properties?.TryGetValue(RetryAfterMs, out var value) == true &&
        double.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)
            ? TimeSpan.FromMilliseconds(ms)
            : null;
}

/// <summary>Attaches the failure class (and Retry-After) to what an activity throws: a
/// <see cref="ClassifiedFailureException"/> says its own; a timeout is <see cref="FailureClass.Timeout"/>, an HTTP
/// failure without a class <see cref="FailureClass.Transient"/>. Register it as the worker's
/// <see cref="IExceptionPropertiesProvider"/>.</summary>
public sealed class FailureClassProperties : IExceptionPropertiesProvider
{
    public IDictionary<string, object?>? GetExceptionProperties(Exception exception) => exception switch
    {
        ClassifiedFailureException c => FailureFacts.For(c.FailureClass, c.RetryAfter),
        TimeoutException => FailureFacts.For(FailureClass.Timeout),
        HttpRequestException => FailureFacts.For(FailureClass.Transient),
        _ => null,
    };
}

/// <summary>
/// Retries by <see cref="RetryPolicy"/> with Baton's failure classes, as an SDK retry handler: each decision is made
/// in the orchestrator, and each back-off is a durable timer, so replay re-derives the same decisions.
/// </summary>
public static class ClassifiedRetry
{
    public static TaskOptions Options(RetryPolicy policy) => TaskOptions.FromRetryHandler(Handler(policy));

    public static AsyncRetryHandler Handler(RetryPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return async context =>
        {
            var failure = context.LastFailure;
            var classified = new ClassifiedFailure(FailureFacts.ClassOf(failure), FailureFacts.RetryAfterOf(failure),
                FailureFacts.IsFinal(failure));
            var delay = policy.NextDelay(context.LastAttemptNumber, classified, context.TotalRetryTime,
                JitterSeed(context.OrchestrationContext.InstanceId, context.LastAttemptNumber));
            if (delay is not { } wait) return false;
            await context.OrchestrationContext.CreateTimer(wait, context.CancellationToken);
            return true;
        };
    }

    /// <summary>A value in [0, 1) that is the same on every replay of the same attempt.</summary>
    public static double JitterSeed(string instanceId, int attempt)
    {
        var hash = 2166136261u;
        foreach (var c in $"{instanceId}#{attempt}") hash = (hash ^ c) * 16777619u;
        return hash / (double)uint.MaxValue;
    }
}
