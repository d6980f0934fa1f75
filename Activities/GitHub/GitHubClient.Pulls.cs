namespace Baton.Activities.GitHub;

public sealed partial class GitHubClient
{
    /// <summary>
    /// Check-then-act: returns the open pull request from <see cref="NewPullRequest.Head"/> if there is one, else opens it.
    /// </summary>
    public async Task<GitHubPullRequest> CreatePullRequestAsync(
        string owner, string repo, NewPullRequest pullRequest, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pullRequest);
        var head = pullRequest.Head.Contains(':', StringComparison.Ordinal) ? pullRequest.Head : $"{owner}:{pullRequest.Head}";
        var open = await GetAllPagesAsync<GitHubPullRequest>(
            $"{RepoPath(owner, repo)}/pulls?state=open&head={Escape(head)}&base={Escape(pullRequest.Base)}", Repository(owner, repo), cancellationToken);
        if (open.Count > 0) return open[0];
        return await SendAsync<GitHubPullRequest>(HttpMethod.Post, $"{RepoPath(owner, repo)}/pulls", Repository(owner, repo), pullRequest, cancellationToken);
    }

    /// <summary>
    /// Pull requests, every page; <paramref name="head"/> (<c>owner:branch</c>, or a bare branch of
    /// <paramref name="owner"/>) finds the one for a branch, the check before opening another.
    /// </summary>
    public Task<IReadOnlyList<GitHubPullRequest>> ListPullRequestsAsync(
        string owner, string repo, string? head = null, GitHubIssueState state = GitHubIssueState.Open, string? baseBranch = null,
        CancellationToken cancellationToken = default)
    {
        var query = $"state={state.ToString().ToLowerInvariant()}";
        if (!string.IsNullOrEmpty(head))
            query += "&head=" + Escape(head.Contains(':', StringComparison.Ordinal) ? head : $"{owner}:{head}");
        if (!string.IsNullOrEmpty(baseBranch)) query += "&base=" + Escape(baseBranch);
        return GetAllPagesAsync<GitHubPullRequest>($"{RepoPath(owner, repo)}/pulls?{query}", Repository(owner, repo), cancellationToken);
    }

    public Task<GitHubPullRequest> GetPullRequestAsync(string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAsync<GitHubPullRequest>($"{RepoPath(owner, repo)}/pulls/{number}", Repository(owner, repo), cancellationToken);

    public Task<IReadOnlyList<GitHubPullRequestFile>> ListPullRequestFilesAsync(
        string owner, string repo, int number, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubPullRequestFile>($"{RepoPath(owner, repo)}/pulls/{number}/files", Repository(owner, repo), cancellationToken);

    /// <summary>Check-then-act: a pull request that is already merged is reported as merged instead of failing with 405.</summary>
    public async Task<GitHubMergeResult> MergePullRequestAsync(
        string owner, string repo, int number, PullRequestMerge merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);
        var current = await GetPullRequestAsync(owner, repo, number, cancellationToken);
        if (current.Merged == true)
            return new GitHubMergeResult(current.MergeCommitSha ?? "", Merged: true, "Pull Request was already merged");
        return await SendAsync<GitHubMergeResult>(HttpMethod.Put, $"{RepoPath(owner, repo)}/pulls/{number}/merge",
            Repository(owner, repo), merge, cancellationToken);
    }

    /// <summary>
    /// Merges like <see cref="MergePullRequestAsync"/>, but GitHub's refusals come back as a status instead of an
    /// exception: 409 (the head moved past <see cref="PullRequestMerge.Sha"/>) is
    /// <see cref="GitHubMergeStatus.HeadModified"/>, 405 (not mergeable now) is <see cref="GitHubMergeStatus.NotMergeable"/>.
    /// Neither is retried here: both need a decision (re-check the new head, wait, or escalate). Other failures throw.
    /// </summary>
    public async Task<GitHubMergeAttempt> TryMergePullRequestAsync(
        string owner, string repo, int number, PullRequestMerge merge, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(merge);
        var current = await GetPullRequestAsync(owner, repo, number, cancellationToken);
        if (current.Merged == true)
            return new GitHubMergeAttempt(GitHubMergeStatus.AlreadyMerged, current.MergeCommitSha, "Pull Request was already merged");

        var answer = await SendAsync(new Call(HttpMethod.Put, $"{RepoPath(owner, repo)}/pulls/{number}/merge",
            Repository(owner, repo), merge, Expected: [405, 409]), cancellationToken);
        if (answer.Status is 405 or 409)
        {
            var status = answer.Status == 409 ? GitHubMergeStatus.HeadModified : GitHubMergeStatus.NotMergeable;
            var message = ErrorMessage(answer.Body) ?? $"GitHub answered {answer.Status}";
            GitHubLog.MergeRefused(logger, Repository(owner, repo), number, status, message);
            return new GitHubMergeAttempt(status, null, message);
        }
        var result = Deserialize<GitHubMergeResult>(answer);
        return new GitHubMergeAttempt(result.Merged ? GitHubMergeStatus.Merged : GitHubMergeStatus.NotMergeable, result.Merged ? result.Sha : null, result.Message);
    }

    /// <summary>Check suites on a commit, branch or tag, every page (one per app, e.g. GitHub Actions).</summary>
    public Task<IReadOnlyList<GitHubCheckSuite>> ListCheckSuitesAsync(string owner, string repo, string gitRef, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<CheckSuitePage, GitHubCheckSuite>(
            $"{RepoPath(owner, repo)}/commits/{Escape(gitRef)}/check-suites", Repository(owner, repo), page => page.CheckSuites, cancellationToken);

    /// <summary>Check runs on a commit, branch or tag, every page.</summary>
    public Task<IReadOnlyList<GitHubCheckRun>> ListCheckRunsAsync(string owner, string repo, string gitRef, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<CheckRunPage, GitHubCheckRun>(
            $"{RepoPath(owner, repo)}/commits/{Escape(gitRef)}/check-runs", Repository(owner, repo), page => page.CheckRuns, cancellationToken);

    /// <summary>Sets the commit status <paramref name="context"/> on <paramref name="sha"/> (error, failure, pending or
    /// success); the latest status of a context is the one GitHub (and branch protection) reads, so repeating it is harmless.</summary>
    public Task<GitHubCommitStatus> CreateCommitStatusAsync(string owner, string repo, string sha, string state, string context,
        string description, string? targetUrl, CancellationToken cancellationToken = default) =>
        SendAsync<GitHubCommitStatus>(HttpMethod.Post, $"{RepoPath(owner, repo)}/statuses/{Escape(sha)}", Repository(owner, repo),
            new { state, context, description = description.Length > 140 ? description[..139] + "…" : description, target_url = targetUrl },
            cancellationToken);

    /// <summary>The statuses on a commit, newest first, every page.</summary>
    public Task<IReadOnlyList<GitHubCommitStatus>> ListCommitStatusesAsync(string owner, string repo, string gitRef, CancellationToken cancellationToken = default) =>
        GetAllPagesAsync<GitHubCommitStatus>($"{RepoPath(owner, repo)}/commits/{Escape(gitRef)}/statuses", Repository(owner, repo), cancellationToken);

    /// <summary>
    /// Creates a ref (<c>refs/heads/…</c>). If it exists already at the same commit (an earlier attempt got through),
    /// the existing ref is returned; at another commit the 422 stands.
    /// </summary>
    public async Task<GitHubGitRef> CreateRefAsync(string owner, string repo, string fullRef, string sha, CancellationToken cancellationToken = default)
    {
        try
        {
            return await SendAsync<GitHubGitRef>(HttpMethod.Post, $"{RepoPath(owner, repo)}/git/refs",
                Repository(owner, repo), new { @ref = fullRef, sha }, cancellationToken);
        }
        catch (GitHubApiException exception) when (exception.StatusCode == 422 && exception.Message.Contains("already exists", StringComparison.OrdinalIgnoreCase))
        {
            var shortRef = fullRef.StartsWith("refs/", StringComparison.Ordinal) ? fullRef["refs/".Length..] : fullRef;
            var existing = await GetAsync<GitHubGitRef>($"{RepoPath(owner, repo)}/git/ref/{shortRef}", Repository(owner, repo), cancellationToken);
            if (existing.Object.Sha != sha) throw;
            return existing;
        }
    }
}
