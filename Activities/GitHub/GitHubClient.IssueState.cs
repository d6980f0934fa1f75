namespace Baton.Activities.GitHub;

public sealed partial class GitHubClient
{
    /// <summary>Closes an issue (<c>PATCH …/issues/{n}</c>, <c>state_reason</c> "completed"); closing a closed issue is
    /// harmless, so the write is idempotent.</summary>
    public Task<GitHubIssue> CloseIssueAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubIssue>(HttpMethod.Patch, $"{RepoPath(owner, repo)}/issues/{number}", Repository(owner, repo),
            new { state = "closed", state_reason = "completed" }, cancellationToken);
}
