namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// The test-facing side: arrange state as a person would on github.com (each change sends the webhook GitHub would
/// send, with <c>by</c> as its sender), and read state back for assertions. None of this counts as an API call.
/// </summary>
public sealed partial class GitHubEmulator
{
    public const string DefaultPerson = "octocat";

    /// <summary>Creates the repository (with a <c>main</c> branch) if it does not exist yet.</summary>
    public void CreateRepository(string repository) => store.Repository(repository);

    public EmulatedIssueRef CreateIssue(string repository, string title, params string[] labels) =>
        CreateIssue(repository, title, body: null, by: DefaultPerson, labels);

    public EmulatedIssueRef CreateIssue(string repository, string title, string? body, string by, IReadOnlyList<string> labels) =>
        Ref(store.CreateIssue(store.Repository(repository), title, body, labels, by));

    public void AddLabel(EmulatedIssueRef issue, string label, string by = DefaultPerson) => store.AddLabels(Find(issue), [label], by);

    public bool RemoveLabel(EmulatedIssueRef issue, string label, string by = DefaultPerson) => store.RemoveLabel(Find(issue), label, by);

    public void Assign(EmulatedIssueRef issue, string login, string by = DefaultPerson) => store.Assign(Find(issue), [login], by);

    public void Comment(EmulatedIssueRef issue, string body, string by = DefaultPerson) => store.Comment(Find(issue), body, by);

    public void CloseIssue(EmulatedIssueRef issue, string by = DefaultPerson, string reason = "completed") => store.SetState(Find(issue), open: false, by, reason);

    public void ReopenIssue(EmulatedIssueRef issue, string by = DefaultPerson) => store.SetState(Find(issue), open: true, by);

    /// <summary>GitHub's native relationship: <paramref name="issue"/> is blocked by <paramref name="blocker"/> (any repository).</summary>
    public void AddBlockedBy(EmulatedIssueRef issue, EmulatedIssueRef blocker, string by = DefaultPerson) => store.AddBlockedBy(Find(issue), Find(blocker), by);

    public bool RemoveBlockedBy(EmulatedIssueRef issue, EmulatedIssueRef blocker, string by = DefaultPerson) => store.RemoveBlockedBy(Find(issue), Find(blocker), by);

    /// <summary>Creates an open milestone and returns its number.</summary>
    public int CreateMilestone(string repository, string title, string by = DefaultPerson) =>
        store.CreateMilestone(store.Repository(repository), title, by).Number;

    public void SetMilestone(EmulatedIssueRef issue, int milestone, string by = DefaultPerson)
    {
        var found = Find(issue);
        store.SetMilestone(found, store.FindMilestone(found.Repository, milestone), by);
    }

    public void CloseMilestone(string repository, int milestone, string by = DefaultPerson) =>
        store.UpdateMilestone(store.FindMilestone(store.Repository(repository), milestone), null, "closed", null, null, by);

    /// <summary>Opens a pull request from <paramref name="head"/> (the branch is created if needed) into <paramref name="base"/>.</summary>
    public EmulatedIssueRef OpenPullRequest(string repository, string title, string head, string @base = "main", string by = DefaultPerson, params EmulatedFile[] files) =>
        Ref(store.OpenPullRequest(store.Repository(repository), title, head, @base, body: null, draft: false, by, files.Length > 0 ? files : null).Issue);

    /// <summary>Squash-merges (for real in a git-backed repository, blocking until pushed); see <see cref="MergePullRequestAsync"/>.</summary>
    public void MergePullRequest(EmulatedIssueRef pullRequest, string by = DefaultPerson) =>
        Task.Run(() => MergePullRequestAsync(pullRequest, by)).GetAwaiter().GetResult();

    /// <summary>Squash-merges as <paramref name="by"/> would on github.com and returns the merge commit's sha.</summary>
    public async Task<string> MergePullRequestAsync(EmulatedIssueRef pullRequest, string by = DefaultPerson)
    {
        var pull = FindPull(pullRequest);
        await MergeCoreAsync(pull, expectedHeadSha: null, "squash", by);
        lock (store.Gate) return pull.MergeCommitSha!;
    }

    /// <summary>
    /// An approving review by <paramref name="by"/> (a human) on the pull request at <paramref name="sha"/>: its head as
    /// last read from git by default (after a push, <c>await SyncGitAsync()</c> first to pin the new head).
    /// </summary>
    public void ApproveReview(EmulatedIssueRef pullRequest, string by, string? sha = null) => store.Review(FindPull(pullRequest), "APPROVED", by, sha);

    /// <summary>
    /// A review by <paramref name="by"/>: <paramref name="state"/> is <c>APPROVED</c>, <c>CHANGES_REQUESTED</c> or
    /// <c>COMMENTED</c>; sends <c>pull_request_review.submitted</c>.
    /// </summary>
    public void SubmitReview(EmulatedIssueRef pullRequest, string by, string state, string? body = null, string? sha = null)
    {
        if (state is not ("APPROVED" or "CHANGES_REQUESTED" or "COMMENTED"))
            throw new ArgumentException($"A review is APPROVED, CHANGES_REQUESTED or COMMENTED, not '{state}'.", nameof(state));
        store.Review(FindPull(pullRequest), state, by, sha, body);
    }

    /// <summary>The newest pull request whose head is <paramref name="headBranch"/> (open ones first), or null.</summary>
    public EmulatedIssueRef? FindPullRequest(string repository, string headBranch)
    {
        lock (store.Gate)
            return store.Repository(repository).Issues.Values
                .Select(i => i.PullRequest).OfType<EmulatedPullRequest>()
                .Where(p => p.Head == headBranch)
                .OrderByDescending(p => p.Issue.IsOpen).ThenByDescending(p => p.Issue.Number)
                .Select(p => Ref(p.Issue)).FirstOrDefault();
    }

    /// <summary>The pull request's reviews, oldest first, states as REST spells them.</summary>
    public IReadOnlyList<EmulatedReviewView> GetReviews(EmulatedIssueRef pullRequest)
    {
        lock (store.Gate)
            return [.. FindPull(pullRequest).Reviews.Select(r => new EmulatedReviewView(r.Id, r.Reviewer, r.State, r.CommitId, r.Body))];
    }

    /// <summary>Completes the check run <paramref name="name"/> on <paramref name="sha"/> with <c>success</c>, <c>failure</c>, …</summary>
    public void SetCheckConclusion(string repository, string sha, string conclusion, string name = "ci") =>
        store.CompleteCheck(store.Repository(repository), sha, name, conclusion, "github-actions[bot]");

    /// <summary>The sha a branch points at, or null.</summary>
    public string? BranchSha(string repository, string branch)
    {
        lock (store.Gate) return store.Repository(repository).Refs.GetValueOrDefault($"refs/heads/{branch}");
    }

    /// <summary>The issue numbered <paramref name="number"/> in <paramref name="repository"/>.</summary>
    public EmulatedIssueRef IssueRef(string repository, int number)
    {
        lock (store.Gate) return Ref(store.FindIssue(store.Repository(repository), number));
    }

    public EmulatedIssueView GetIssue(EmulatedIssueRef issue)
    {
        lock (store.Gate)
        {
            var found = Find(issue);
            return new EmulatedIssueView(
                Ref(found), found.Title, found.State,
                [.. found.Labels.Select(l => l.Name)],
                [.. found.Assignees],
                [.. found.Comments.Select(c => c.Body)],
                found.Milestone?.Number,
                [.. found.BlockedBy.Select(Ref)],
                [.. found.Events.Select(e => (e.Event, e.Label?.Name, e.CreatedAt))]);
        }
    }

    public EmulatedPullRequestView GetPullRequest(EmulatedIssueRef pullRequest)
    {
        lock (store.Gate)
        {
            var pull = FindPull(pullRequest);
            return new EmulatedPullRequestView(
                Ref(pull.Issue), pull.Issue.State, pull.Head, pull.HeadSha, pull.Base, pull.Merged, pull.MergeCommitSha,
                [.. pull.Reviews.Select(r => (r.Reviewer, r.State, r.CommitId))])
            {
                Title = pull.Issue.Title,
                Labels = [.. pull.Issue.Labels.Select(l => l.Name)],
                Files = [.. pull.Files.Select(f => f.Filename)],
            };
        }
    }

    public EmulatedMilestoneView GetMilestone(string repository, int milestone)
    {
        lock (store.Gate)
        {
            var found = store.FindMilestone(store.Repository(repository), milestone);
            return new EmulatedMilestoneView(found.Number, found.Title, found.State, found.OpenIssues, found.ClosedIssues);
        }
    }

    EmulatedIssue Find(EmulatedIssueRef issue) => store.FindIssue(store.Repository(issue.Repository), issue.Number);

    EmulatedPullRequest FindPull(EmulatedIssueRef pullRequest) => store.FindPullRequest(store.Repository(pullRequest.Repository), pullRequest.Number);

    static EmulatedIssueRef Ref(EmulatedIssue issue) => new(issue.Repository.FullName, issue.Number, issue.Id);
}
