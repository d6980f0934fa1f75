using Baton.Failures;
namespace Baton.Activities.GitHub;

/// <summary>Log messages of the GitHub client (event ids 3000–3099). Never includes tokens or request bodies.</summary>
static partial class GitHubLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Debug, Message = "GitHub {Method} {Path} answered {Status}")]
    public static partial void Answered(ILogger logger, string method, string path, int status);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "GitHub {Method} {Path} unchanged (304), served from the ETag cache")]
    public static partial void NotModified(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "GitHub {Method} {Path} failed ({Outcome}); retry {Attempt} in {Delay}")]
    public static partial void Retrying(ILogger logger, string method, string path, string outcome, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "GitHub {Method} {Path} failed: {FailureClass} (status {Status}), retry after {RetryAfter}: {GitHubMessage}")]
    public static partial void Failed(ILogger logger, string method, string path, FailureClass failureClass, int? status, TimeSpan? retryAfter, string? gitHubMessage);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Error, Message = "GitHub {Method} {Path} failed and will not be retried: {FailureClass} (status {Status}): {GitHubMessage}")]
    public static partial void FailedForGood(ILogger logger, string method, string path, FailureClass failureClass, int? status, string? gitHubMessage);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Minted a GitHub App installation token for installation {InstallationId}, valid until {ExpiresAt}")]
    public static partial void TokenMinted(ILogger logger, long installationId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Added label {Label} to {Repository}#{IssueNumber}")]
    public static partial void LabelAdded(ILogger logger, string label, string repository, int issueNumber);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Commented on {Repository}#{IssueNumber} (marker {MarkerKey})")]
    public static partial void Commented(ILogger logger, string repository, int issueNumber, string markerKey);

    [LoggerMessage(EventId = 3030, Level = LogLevel.Information, Message = "Reviewed {Repository}#{PullRequest} with {ReviewEvent} (marker {MarkerKey})")]
    public static partial void Reviewed(ILogger logger, string repository, int pullRequest, string reviewEvent, string markerKey);

    [LoggerMessage(EventId = 3031, Level = LogLevel.Information, Message = "GitHub did not merge {Repository}#{PullRequest}: {MergeStatus}: {GitHubMessage}")]
    public static partial void MergeRefused(ILogger logger, string repository, int pullRequest, GitHubMergeStatus mergeStatus, string? gitHubMessage);
}
