using System.Text.Json;

namespace Baton.Webhooks.GitHub;

/// <summary>
/// Turns a verified body into the typed record for its event. GitHub's JSON is snake_case; otherwise these are
/// System.Text.Json's web defaults, made strict about what the records declare: a missing required member or a
/// null where the record does not allow one is a malformed payload.
/// </summary>
public static class GitHubPayloadParser
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectNullableAnnotations = true,
        MaxDepth = 64,
    };

    /// <exception cref="JsonException">The body is not JSON, not an object, or not the shape of its event.</exception>
    public static GitHubWebhookPayload Parse(string gitHubEvent, ReadOnlySpan<byte> body) => gitHubEvent switch
    {
        GitHubEvent.Issues => Deserialize<IssuesEvent>(body),
        GitHubEvent.IssueDependencies => Deserialize<IssueDependenciesEvent>(body),
        GitHubEvent.SubIssues => Deserialize<SubIssuesEvent>(body),
        GitHubEvent.IssueComment => Deserialize<IssueCommentEvent>(body),
        GitHubEvent.PullRequest => Deserialize<PullRequestEvent>(body),
        GitHubEvent.PullRequestReview => Deserialize<PullRequestReviewEvent>(body),
        GitHubEvent.CheckSuite => Deserialize<CheckSuiteEvent>(body),
        GitHubEvent.CheckRun => Deserialize<CheckRunEvent>(body),
        GitHubEvent.WorkflowRun => Deserialize<WorkflowRunEvent>(body),
        GitHubEvent.Milestone => Deserialize<MilestoneEvent>(body),
        GitHubEvent.Installation => Deserialize<InstallationEvent>(body),
        GitHubEvent.Ping => Deserialize<PingEvent>(body),
        _ => Deserialize<OtherGitHubEvent>(body),
    };

    static T Deserialize<T>(ReadOnlySpan<byte> body) where T : GitHubWebhookPayload =>
        JsonSerializer.Deserialize<T>(body, JsonOptions)
        ?? throw new JsonException("The payload is the JSON literal null, not an object.");
}
