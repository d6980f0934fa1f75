using Baton.Failures;
namespace Baton.Activities.GitHub;

/// <summary>GitHub's spelling of review events.</summary>
public static class GitHubReviews
{
    public static string EventName(GitHubReviewEvent reviewEvent) => reviewEvent switch
    {
        GitHubReviewEvent.Approve => "APPROVE",
        GitHubReviewEvent.RequestChanges => "REQUEST_CHANGES",
        GitHubReviewEvent.Comment => "COMMENT",
        _ => throw new ArgumentOutOfRangeException(nameof(reviewEvent), reviewEvent, null),
    };
}

public sealed partial class GitHubClient
{
    /// <summary>Every submitted review of a pull request, oldest first, with the commit each was submitted on.</summary>
    public Task<IReadOnlyList<GitHubReview>> ListReviewsAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubReview>($"{RepoPath(owner, repo)}/pulls/{number}/reviews", Repository(owner, repo), cancellationToken);

    /// <summary>
    /// Submits a review on <paramref name="commitId"/> with a hidden marker for <paramref name="key"/>, unless a review
    /// carrying that marker exists on that same commit (an earlier attempt got through): then that one is returned.
    /// A new head gets a new review. GitHub refuses (422, <see cref="FailureClass.Permanent"/>) to let an
    /// identity approve or request changes on its own pull request: the reviewer agent needs its own account for those,
    /// or posts <see cref="GitHubReviewEvent.Comment"/>.
    /// </summary>
    public async Task<MarkedReview> CreateReviewAsync(
        string owner, string repo, int number, GitHubReviewEvent reviewEvent, string body, string commitId, string key,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commitId);
        var marker = CommentMarker(key);
        var reviews = await ListReviewsAsync(owner, repo, number, cancellationToken);
        var existing = reviews.FirstOrDefault(r => r.CommitId == commitId && r.Body?.Contains(marker, StringComparison.Ordinal) == true);
        if (existing is not null) return new MarkedReview(existing, Created: false);

        var created = await SendAsync<GitHubReview>(HttpMethod.Post, $"{RepoPath(owner, repo)}/pulls/{number}/reviews", Repository(owner, repo),
            new { commit_id = commitId, body = $"{body}\n\n{marker}", @event = GitHubReviews.EventName(reviewEvent) }, cancellationToken);
        GitHubLog.Reviewed(logger, Repository(owner, repo), number, GitHubReviews.EventName(reviewEvent), key);
        return new MarkedReview(created, Created: true);
    }
}
