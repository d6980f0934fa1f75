using System.Text.Json.Serialization;

namespace Baton.Durable;

/// <summary>A failure as data: it crosses the activity → orchestrator boundary and is stored in history,
/// so it never carries a live exception object.</summary>
public sealed record TaskFailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    TaskFailureDetails? InnerFailure = null,
    FailureClass FailureClass = FailureClass.Unknown,
    TimeSpan? RetryAfter = null,
    bool IsNonRetriable = false)
{
    /// <summary>Extra facts about the failure (Durable Task's <c>FailureDetails.Properties</c>), kept as given.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }

    /// <summary>True when the failure (or one of its inner failures) was caused by an exception of type
    /// <typeparamref name="TException"/> or a subclass of it, looked up by name.</summary>
    public bool IsCausedBy<TException>() where TException : Exception
    {
        for (var failure = this; failure is not null; failure = failure.InnerFailure)
        {
            var type = ResolveType(failure.ErrorType);
            if (type is not null && typeof(TException).IsAssignableFrom(type)) return true;
            if (failure.ErrorType == typeof(TException).FullName) return true;
        }
        return false;
    }

    [JsonIgnore]
    public bool IsRetriable => !IsNonRetriable && !FailureClass.IsNeverRetried();

    public static TaskFailureDetails FromException(Exception exception, bool includeStackTrace = true)
    {
        var (failureClass, retryAfter, nonRetriable) = exception switch
        {
            DurableFailureException d => (d.FailureClass, d.RetryAfter, d.IsNonRetriable),
            TaskFailedException t => (t.FailureDetails.FailureClass, t.FailureDetails.RetryAfter, t.FailureDetails.IsNonRetriable),
            TimeoutException => (FailureClass.Timeout, (TimeSpan?)null, false),
            HttpRequestException => (FailureClass.Transient, null, false),
            _ => (FailureClass.Unknown, null, false),
        };
        return new TaskFailureDetails(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            includeStackTrace ? exception.StackTrace : null,
            exception.InnerException is null ? null : FromException(exception.InnerException, includeStackTrace),
            failureClass,
            retryAfter,
            nonRetriable);
    }

    public override string ToString() => $"{ErrorType} ({FailureClass}): {ErrorMessage}";

    static Type? ResolveType(string name)
    {
        var type = Type.GetType(name, throwOnError: false);
        if (type is not null) return type;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            type = assembly.GetType(name, throwOnError: false);
            if (type is not null) return type;
        }
        return null;
    }
}
