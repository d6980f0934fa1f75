namespace Baton.Durable;

/// <summary>A failure as the store keeps it (DTFx's <c>FailureDetails</c>, <see cref="Provider.StoredEvents"/> maps
/// between them): data only, never a live exception object.</summary>
public sealed record TaskFailureDetails(
    string ErrorType,
    string ErrorMessage,
    string? StackTrace = null,
    TaskFailureDetails? InnerFailure = null,
    bool IsNonRetriable = false)
{
    /// <summary>Extra facts about the failure (Durable Task's <c>FailureDetails.Properties</c>), kept as given.</summary>
    public IReadOnlyDictionary<string, object?>? Properties { get; init; }

    public override string ToString() => $"{ErrorType}: {ErrorMessage}";
}
