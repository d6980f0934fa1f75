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

    public void MergePullRequest(EmulatedIssueRef pullRequest, string by = DefaultPerson) =>
        store.Merge(FindPull(pullRequest), expectedHeadSha: null, "squash", by);

    /// <summary>An approving review on the pull request at <paramref name="sha"/> (its head by default).</summary>
    public void ApproveReview(EmulatedIssueRef pullRequest, string by, string? sha = null) => store.Review(FindPull(pullRequest), "approved", by, sha);

    /// <summary>Completes the check run <paramref name="name"/> on <paramref name="sha"/> with <c>success</c>, <c>failure</c>, …</summary>
    public void SetCheckConclusion(string repository, string sha, string conclusion, string name = "ci") =>
        store.CompleteCheck(store.Repository(repository), sha, name, conclusion, "github-actions[bot]");

    /// <summary>The sha a branch points at, or null.</summary>
    public string? BranchSha(string repository, string branch)
    {
        lock (store.Gate) return store.Repository(repository).Refs.GetValueOrDefault($"refs/heads/{branch}");
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
                [.. pull.Reviews.Select(r => (r.Reviewer, r.State, r.CommitId))]);
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
