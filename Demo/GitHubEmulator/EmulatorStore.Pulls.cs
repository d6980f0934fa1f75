using System.Text.Json.Nodes;

namespace Baton.Demo.GitHubEmulator;

sealed partial class EmulatorStore
{
    public EmulatedPullRequest OpenPullRequest(
        EmulatedRepository repository, string title, string head, string @base, string? body, bool draft, string actor, IEnumerable<EmulatedFile>? files = null)
    {
        lock (Gate)
        {
            if (!repository.Refs.TryGetValue($"refs/heads/{@base}", out var baseSha)) throw Invalid($"Validation Failed: base '{@base}' does not exist");
            if (head == @base) throw Invalid($"Validation Failed: No commits between {@base} and {head}");
            if (repository.Issues.Values.Any(i => i.PullRequest is { } p && i.IsOpen && p.Head == head && p.Base == @base))
                throw Invalid($"Validation Failed: A pull request already exists for {repository.Owner}:{head}.");
            var headSha = repository.Refs.TryGetValue($"refs/heads/{head}", out var existing)
                ? existing
                : repository.Refs[$"refs/heads/{head}"] = Sha(repository.FullName, head, "head");

            var issue = new EmulatedIssue(NextId(), repository, ++repository.LastNumber, title, actor, Now) { Body = body };
            var pull = new EmulatedPullRequest(NextId(), issue, head, headSha, @base, baseSha) { Draft = draft };
            pull.Files.AddRange(files ?? [new EmulatedFile($"src/{head.Replace('/', '-')}.cs", "added", Additions: 10)]);
            issue.PullRequest = pull;
            repository.Issues[issue.Number] = issue;
            AnnouncePullRequest(pull, "opened", actor);
            return pull;
        }
    }

    /// <summary>Squash-merges: a new commit on the base branch, the pull request closed and merged.</summary>
    public EmulatedPullRequest Merge(EmulatedPullRequest pull, string? expectedHeadSha, string method, string actor)
    {
        lock (Gate)
        {
            if (method is not ("merge" or "squash" or "rebase")) throw Invalid($"Validation Failed: merge_method '{method}' is not merge, squash or rebase");
            if (pull.Merged || !pull.Issue.IsOpen) throw new EmulatorHttpException(405, "Pull Request is not mergeable");
            if (expectedHeadSha is not null && expectedHeadSha != pull.HeadSha)
                throw new EmulatorHttpException(409, "Head branch was modified. Review and try the merge again.");
            var repository = pull.Issue.Repository;
            pull.MergeCommitSha = Sha(repository.FullName, pull.BaseSha, pull.HeadSha, method);
            repository.Refs[$"refs/heads/{pull.Base}"] = pull.MergeCommitSha;
            pull.Merged = true;
            pull.MergedAt = Now;
            pull.MergedBy = actor;
            SetState(pull.Issue, open: false, actor);
            return pull;
        }
    }

    public EmulatedReview Review(EmulatedPullRequest pull, string state, string reviewer, string? commitId)
    {
        lock (Gate)
        {
            var review = new EmulatedReview(NextId(), state, reviewer, commitId ?? pull.HeadSha, Now);
            pull.Reviews.Add(review);
            Announce("pull_request_review", "submitted", pull.Issue.Repository, reviewer, p =>
            {
                p["review"] = Json.Review(review, pull);
                p["pull_request"] = Json.PullRequest(pull);
            });
            return review;
        }
    }

    /// <summary>Completes the named check run on <paramref name="sha"/> (creating it), then its suite: two webhooks, as on GitHub.</summary>
    public EmulatedCheckRun CompleteCheck(EmulatedRepository repository, string sha, string name, string conclusion, string actor)
    {
        lock (Gate)
        {
            var previous = repository.CheckRuns.FindIndex(r => r.HeadSha == sha && r.Name == name);
            var suiteId = repository.CheckRuns.FirstOrDefault(r => r.HeadSha == sha)?.SuiteId ?? NextId();
            var run = new EmulatedCheckRun(previous >= 0 ? repository.CheckRuns[previous].Id : NextId(), suiteId, name, sha, "completed", conclusion,
                previous >= 0 ? repository.CheckRuns[previous].StartedAt : Now, Now);
            if (previous >= 0) repository.CheckRuns[previous] = run;
            else repository.CheckRuns.Add(run);

            var pulls = repository.Issues.Values.Select(i => i.PullRequest).OfType<EmulatedPullRequest>().Where(p => p.HeadSha == sha).ToList();
            var branch = pulls.FirstOrDefault()?.Head;
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
