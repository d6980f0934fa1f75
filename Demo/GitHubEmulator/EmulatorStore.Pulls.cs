using System.Text.Json.Nodes;

namespace Baton.Demo.GitHubEmulator;

sealed partial class EmulatorStore
{
    public EmulatedPullRequest OpenPullRequest(
        EmulatedRepository repository, string title, string head, string @base, string? body, bool draft, string actor, IEnumerable<EmulatedFile>? files = null,
        string? gitHeadSha = null, bool mergeable = true)
    {
        lock (Gate)
        {
            if (!repository.Refs.TryGetValue($"refs/heads/{@base}", out var baseSha)) throw Invalid($"Validation Failed: base '{@base}' does not exist");
            if (head == @base) throw Invalid($"Validation Failed: No commits between {@base} and {head}");
            if (repository.Issues.Values.Any(i => i.PullRequest is { } p && i.IsOpen && p.Head == head && p.Base == @base))
                throw Invalid($"Validation Failed: A pull request already exists for {repository.Owner}:{head}.");
            var headSha = gitHeadSha ?? (repository.Refs.TryGetValue($"refs/heads/{head}", out var existing)
                ? existing
                : repository.Refs[$"refs/heads/{head}"] = Sha(repository.FullName, head, "head"));

            var issue = new EmulatedIssue(NextId(), repository, ++repository.LastNumber, title, actor, Now) { Body = body };
            var pull = new EmulatedPullRequest(NextId(), issue, head, headSha, @base, baseSha) { Draft = draft, Mergeable = mergeable };
            pull.Files.AddRange(files ?? [new EmulatedFile($"src/{head.Replace('/', '-')}.cs", "added", Additions: 10)]);
            issue.PullRequest = pull;
            repository.Issues[issue.Number] = issue;
            AnnouncePullRequest(pull, "opened", actor);
            return pull;
        }
    }

    /// <summary>Refuses a merge GitHub would refuse: unknown method (422), merged, closed or conflicting (405), head moved (409).</summary>
    public void CheckMergeable(EmulatedPullRequest pull, string? expectedHeadSha, string method)
    {
        lock (Gate)
        {
            if (method is not ("merge" or "squash" or "rebase")) throw Invalid($"Validation Failed: merge_method '{method}' is not merge, squash or rebase");
            if (pull.Merged || !pull.Issue.IsOpen || !pull.Mergeable) throw new EmulatorHttpException(405, "Pull Request is not mergeable");
            if (expectedHeadSha is not null && expectedHeadSha != pull.HeadSha)
                throw new EmulatorHttpException(409, "Head branch was modified. Review and try the merge again.");
        }
    }

    /// <summary>
    /// Merges: the pull request closed and merged. In memory a made-up commit moves the base branch; for a git-backed
    /// repository <paramref name="gitMergeSha"/> is the commit already pushed, and the ref moves on the next git sync.
    /// </summary>
    public EmulatedPullRequest Merge(EmulatedPullRequest pull, string? expectedHeadSha, string method, string actor, string? gitMergeSha = null)
    {
        lock (Gate)
        {
            CheckMergeable(pull, expectedHeadSha, method);
            var repository = pull.Issue.Repository;
            pull.MergeCommitSha = gitMergeSha ?? Sha(repository.FullName, pull.BaseSha, pull.HeadSha, method);
            if (gitMergeSha is null) repository.Refs[$"refs/heads/{pull.Base}"] = pull.MergeCommitSha;
            pull.Merged = true;
            pull.MergedAt = Now;
            pull.MergedBy = actor;
            SetState(pull.Issue, open: false, actor);
            return pull;
        }
    }

    /// <summary>
    /// Records a review (<paramref name="state"/> as REST spells it) and, unless it is <c>PENDING</c>, sends
    /// <c>pull_request_review.submitted</c> (whose <c>review.state</c> is lower case, as in GitHub's webhooks).
    /// </summary>
    public EmulatedReview Review(EmulatedPullRequest pull, string state, string reviewer, string? commitId, string? body = null)
    {
        lock (Gate)
        {
            var review = new EmulatedReview(NextId(), state, reviewer, commitId ?? pull.HeadSha, Now, body);
            pull.Reviews.Add(review);
            if (state != "PENDING")
                Announce("pull_request_review", "submitted", pull.Issue.Repository, reviewer, p =>
                {
                    p["review"] = Json.Review(review, pull, webhook: true);
                    p["pull_request"] = Json.PullRequest(pull);
                });
            return review;
        }
    }

    /// <summary>Shows the named check run on <paramref name="sha"/> as <c>in_progress</c> (no webhook), until it completes.</summary>
    public void StartCheck(EmulatedRepository repository, string sha, string name)
    {
        lock (Gate)
        {
            var previous = repository.CheckRuns.FindIndex(r => r.HeadSha == sha && r.Name == name);
            var suiteId = repository.CheckRuns.FirstOrDefault(r => r.HeadSha == sha)?.SuiteId ?? NextId();
            var run = new EmulatedCheckRun(previous >= 0 ? repository.CheckRuns[previous].Id : NextId(), suiteId, name, sha, "in_progress", null, Now, null);
            if (previous >= 0) repository.CheckRuns[previous] = run;
            else repository.CheckRuns.Add(run);
        }
    }

    /// <summary>Completes the named check run on <paramref name="sha"/> (creating it), then its suite: two webhooks, as on GitHub.</summary>
    public EmulatedCheckRun CompleteCheck(EmulatedRepository repository, string sha, string name, string conclusion, string actor,
        string? branch = null, string? title = null, string? summary = null)
    {
        lock (Gate)
        {
            var previous = repository.CheckRuns.FindIndex(r => r.HeadSha == sha && r.Name == name);
            var suiteId = repository.CheckRuns.FirstOrDefault(r => r.HeadSha == sha)?.SuiteId ?? NextId();
            var run = new EmulatedCheckRun(previous >= 0 ? repository.CheckRuns[previous].Id : NextId(), suiteId, name, sha, "completed", conclusion,
                previous >= 0 ? repository.CheckRuns[previous].StartedAt : Now, Now, title, summary);
            if (previous >= 0) repository.CheckRuns[previous] = run;
            else repository.CheckRuns.Add(run);

            var pulls = PullsAt(repository, sha);
            branch ??= pulls.FirstOrDefault()?.Head;
            Announce("check_run", "completed", repository, actor, p =>
            {
                var json = Json.CheckRun(run, repository, pulls);
                json["check_suite"] = Json.CheckSuite(repository, suiteId, sha, branch, "completed", conclusion, pulls);
                p["check_run"] = json;
            });
            var suiteConclusion = SuiteConclusion(repository.CheckRuns.Where(r => r.SuiteId == suiteId));
            Announce("check_suite", "completed", repository, actor,
                p => p["check_suite"] = Json.CheckSuite(repository, suiteId, sha, branch, "completed", suiteConclusion, pulls));
            return run;
        }
    }

    /// <summary>The pull requests whose head is <paramref name="sha"/>.</summary>
    public List<EmulatedPullRequest> PullsAt(EmulatedRepository repository, string sha)
    {
        lock (Gate) return [.. repository.Issues.Values.Select(i => i.PullRequest).OfType<EmulatedPullRequest>().Where(p => p.HeadSha == sha)];
    }

    /// <summary>A GitHub Actions run finished: <c>workflow_run.completed</c> for the suite of <paramref name="run"/>.</summary>
    public void AnnounceWorkflowRun(EmulatedRepository repository, EmulatedCheckRun run, string branch, int runNumber, string actor)
    {
        lock (Gate)
        {
            var pulls = PullsAt(repository, run.HeadSha);
            Announce("workflow_run", "completed", repository, actor,
                p => p["workflow_run"] = Json.WorkflowRun(repository, run, branch, runNumber, pulls, Now));
        }
    }

    static string SuiteConclusion(IEnumerable<EmulatedCheckRun> runs)
    {
        var conclusions = runs.Select(r => r.Conclusion).ToList();
        return conclusions.FirstOrDefault(c => c is "failure" or "timed_out" or "cancelled" or "action_required") ?? "success";
    }

    public string CreateRef(EmulatedRepository repository, string fullRef, string sha)
    {
        lock (Gate)
        {
            if (!fullRef.StartsWith("refs/", StringComparison.Ordinal) || fullRef.Count(c => c == '/') < 2)
                throw Invalid("Reference name must start with 'refs/' and have at least two slashes.");
            if (sha.Length != 40 || !sha.All(Uri.IsHexDigit)) throw Invalid("Object does not exist");
            if (repository.Refs.ContainsKey(fullRef)) throw Invalid("Reference already exists");
            repository.Refs[fullRef] = sha;
            return sha;
        }
    }

    void AnnouncePullRequest(EmulatedPullRequest pull, string action, string actor, Action<JsonObject>? fill = null) =>
        Announce("pull_request", action, pull.Issue.Repository, actor, p =>
        {
            p["number"] = pull.Issue.Number;
            p["pull_request"] = Json.PullRequest(pull);
            fill?.Invoke(p);
        });
}
