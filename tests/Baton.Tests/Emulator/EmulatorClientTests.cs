using Baton.Activities.GitHub;
using Baton.Demo.GitHubEmulator;
using Baton.Failures;

namespace Baton.Tests.Emulator;

/// <summary>Every <see cref="GitHubClient"/> method against the emulator over real HTTP.</summary>
public sealed class EmulatorClientTests : IAsyncLifetime
{
    const string Owner = "acme";
    const string Name = "widgets";
    EmulatorHarness harness = null!;

    GitHubEmulator Emulator => harness.Emulator;
    GitHubClient Client => harness.Client;

    public async Task InitializeAsync() => harness = await EmulatorHarness.StartAsync();

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task ListIssues_FiltersByLabelsAndState()
    {
        var approved = Emulator.CreateIssue(EmulatorHarness.Repo, "approved one", "approved", "critical");
        Emulator.CreateIssue(EmulatorHarness.Repo, "not approved");
        var closed = Emulator.CreateIssue(EmulatorHarness.Repo, "closed approved", "approved");
        Emulator.CloseIssue(closed);

        var open = await Client.ListIssuesAsync(Owner, Name, ["approved"]);
        var all = await Client.ListIssuesAsync(Owner, Name, state: GitHubIssueState.All);
        var closedOnes = await Client.ListIssuesAsync(Owner, Name, state: GitHubIssueState.Closed);

        var only = Assert.Single(open);
        Assert.Equal((approved.Number, approved.Id, "approved one"), (only.Number, only.Id, only.Title));
        Assert.True(only.HasLabel("critical"));
        Assert.Equal(3, all.Count);
        Assert.Equal(closed.Number, Assert.Single(closedOnes).Number);
        Assert.NotNull(Assert.Single(closedOnes).ClosedAt);
    }

    [Fact]
    public async Task GetIssue_ReturnsItsFieldsAndMilestone()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "LLM tool API", "body text", "octocat", ["approved"]);
        var milestone = Emulator.CreateMilestone(EmulatorHarness.Repo, "AI Chat Widget");
        Emulator.SetMilestone(issue, milestone);

        var read = await Client.GetIssueAsync(Owner, Name, issue.Number);

        Assert.Equal((issue.Id, "LLM tool API", "open", "body text"), (read.Id, read.Title, read.State, read.Body));
        Assert.Equal("AI Chat Widget", read.Milestone?.Title);
        Assert.False(read.IsPullRequest);
        Assert.EndsWith("/repos/acme/widgets", read.RepositoryUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Labels_AddEnsureListRemove()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t", "approved");

        var afterAdd = await Client.AddLabelsAsync(Owner, Name, issue.Number, ["in-progress"]);
        var ensuredAgain = await Client.EnsureLabelAsync(Owner, Name, issue.Number, "in-progress");
        var ensuredNew = await Client.EnsureLabelAsync(Owner, Name, issue.Number, "high priority");
        var removed = await Client.RemoveLabelAsync(Owner, Name, issue.Number, "approved");
        var removedMissing = await Client.RemoveLabelAsync(Owner, Name, issue.Number, "approved");
        var listed = await Client.ListLabelsAsync(Owner, Name, issue.Number);

        Assert.Equal(["approved", "in-progress"], afterAdd.Select(l => l.Name));
        Assert.False(ensuredAgain);
        Assert.True(ensuredNew);
        Assert.True(removed);
        Assert.False(removedMissing);
        Assert.Equal(["in-progress", "high priority"], listed.Select(l => l.Name));
        Assert.Equal(["in-progress", "high priority"], Emulator.GetIssue(issue).Labels);
    }

    [Fact]
    public async Task AddAssignees_KeepsExistingOnes()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t");
        Emulator.Assign(issue, "alice");

        var updated = await Client.AddAssigneesAsync(Owner, Name, issue.Number, ["baton-bot", "alice"]);

        Assert.Equal(["alice", "baton-bot"], updated.Assignees.Select(a => a.Login));
    }

    [Fact]
    public async Task Comments_CreateListAndOnce()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t");

        var plain = await Client.CreateCommentAsync(Owner, Name, issue.Number, "hello");
        var first = await Client.CreateCommentOnceAsync(Owner, Name, issue.Number, "claim", "Claimed.");
        var second = await Client.CreateCommentOnceAsync(Owner, Name, issue.Number, "claim", "Claimed.");
        var listed = await Client.ListCommentsAsync(Owner, Name, issue.Number);

        Assert.Equal("hello", plain.Body);
        Assert.Equal("baton-bot[bot]", plain.User?.Login);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.Comment.Id, second.Comment.Id);
        Assert.Equal(2, listed.Count);
        Assert.Equal(2, Emulator.GetIssue(issue).Comments.Count);
    }

    [Fact]
    public async Task IssueEvents_RecordWhenALabelWasAdded()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Emulator.AddLabel(issue, "approved");
        Emulator.RemoveLabel(issue, "approved");
        Emulator.AddLabel(issue, "approved");

        var events = await Client.ListIssueEventsAsync(Owner, Name, issue.Number);
        var addedAt = await Client.FindLabelAddedAtAsync(Owner, Name, issue.Number, "approved");
        var neverAdded = await Client.FindLabelAddedAtAsync(Owner, Name, issue.Number, "blocked");

        Assert.Equal(["labeled", "unlabeled", "labeled"], events.Select(e => e.Event));
        Assert.Equal("approved", events[0].Label?.Name);
        Assert.NotNull(addedAt);
        Assert.InRange(addedAt.Value, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(neverAdded);
    }

    [Fact]
    public async Task BlockedBy_ListsNativeDependenciesAcrossRepositories()
    {
        var blocked = Emulator.CreateIssue(EmulatorHarness.Repo, "#3 after both");
        var sameRepo = Emulator.CreateIssue(EmulatorHarness.Repo, "#1");
        var otherRepo = Emulator.CreateIssue("acme/backend", "backend blocker");
        Emulator.AddBlockedBy(blocked, sameRepo);
        Emulator.AddBlockedBy(blocked, otherRepo);

        var blockers = await Client.ListBlockedByAsync(Owner, Name, blocked.Number);

        Assert.Equal([sameRepo.Id, otherRepo.Id], blockers.Select(b => b.Id));
        Assert.EndsWith("/repos/acme/backend", blockers[1].RepositoryUrl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Milestone_GetCountsAndClose()
    {
        var number = Emulator.CreateMilestone(EmulatorHarness.Repo, "AI Chat Widget");
        var done = Emulator.CreateIssue(EmulatorHarness.Repo, "done");
        var open = Emulator.CreateIssue(EmulatorHarness.Repo, "open");
        Emulator.SetMilestone(done, number);
        Emulator.SetMilestone(open, number);
        Emulator.CloseIssue(done);

        var read = await Client.GetMilestoneAsync(Owner, Name, number);
        var closed = await Client.UpdateMilestoneAsync(Owner, Name, number, new MilestoneUpdate(State: "closed"));

        Assert.Equal((number, "AI Chat Widget", "open", 1, 1), (read.Number, read.Title, read.State, read.OpenIssues, read.ClosedIssues));
        Assert.Equal("closed", closed.State);
        Assert.NotNull(closed.ClosedAt);
        Assert.Equal("closed", Emulator.GetMilestone(EmulatorHarness.Repo, number).State);
    }

    [Fact]
    public async Task PullRequest_CreateIsIdempotentThenGetFilesMerge()
    {
        var created = await Client.CreatePullRequestAsync(Owner, Name, new NewPullRequest("Add tool API", "baton/issue-1", "main"));
        var again = await Client.CreatePullRequestAsync(Owner, Name, new NewPullRequest("Add tool API", "baton/issue-1", "main"));
        var read = await Client.GetPullRequestAsync(Owner, Name, created.Number);
        var files = await Client.ListPullRequestFilesAsync(Owner, Name, created.Number);

        var merged = await Client.MergePullRequestAsync(Owner, Name, created.Number, new PullRequestMerge(Sha: read.Head.Sha));
        var mergedAgain = await Client.MergePullRequestAsync(Owner, Name, created.Number, new PullRequestMerge());
        var afterMerge = await Client.GetPullRequestAsync(Owner, Name, created.Number);

        Assert.Equal(created.Number, again.Number);
        Assert.Equal(("open", "baton/issue-1", "main"), (read.State, read.Head.Ref, read.Base.Ref));
        Assert.Single(files);
        Assert.True(merged.Merged);
        Assert.Equal(40, merged.Sha.Length);
        Assert.Equal(merged.Sha, mergedAgain.Sha);
        Assert.Equal(("closed", true, merged.Sha), (afterMerge.State, afterMerge.Merged, afterMerge.MergeCommitSha));
        Assert.Equal(merged.Sha, Emulator.BranchSha(EmulatorHarness.Repo, "main"));
        Assert.Equal(1, Emulator.Usage.Count("POST /repos/{owner}/{repo}/pulls"));
        Assert.Equal(1, Emulator.Usage.Count("PUT /repos/{owner}/{repo}/pulls/{number}/merge"));
    }

    [Fact]
    public async Task Merge_WhenTheHeadMoved_IsRefused()
    {
        var pull = Emulator.OpenPullRequest(EmulatorHarness.Repo, "t", "feature");

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() =>
            Client.MergePullRequestAsync(Owner, Name, pull.Number, new PullRequestMerge(Sha: new string('0', 40))));

        Assert.Equal(409, failure.StatusCode);
        Assert.False(Emulator.GetPullRequest(pull).Merged);
    }

    [Fact]
    public async Task CheckRuns_ListByShaAndByBranch()
    {
        var pull = Emulator.OpenPullRequest(EmulatorHarness.Repo, "t", "feature/x");
        var sha = Emulator.GetPullRequest(pull).HeadSha;
        Emulator.SetCheckConclusion(EmulatorHarness.Repo, sha, "failure", name: "build");
        Emulator.SetCheckConclusion(EmulatorHarness.Repo, sha, "success", name: "test");

        var bySha = await Client.ListCheckRunsAsync(Owner, Name, sha);
        var byBranch = await Client.ListCheckRunsAsync(Owner, Name, "feature/x");

        Assert.Equal([("build", "failure"), ("test", "success")], bySha.Select(r => (r.Name, r.Conclusion)));
        Assert.All(bySha, r => Assert.Equal(("completed", sha), (r.Status, r.HeadSha)));
        Assert.Equal(2, byBranch.Count);
    }

    [Fact]
    public async Task CreateRef_IsIdempotentAtTheSameShaAndRefusedAtAnother()
    {
        var sha = Emulator.BranchSha(EmulatorHarness.Repo, "main")!;

        var created = await Client.CreateRefAsync(Owner, Name, "refs/heads/baton/issue-7", sha);
        var again = await Client.CreateRefAsync(Owner, Name, "refs/heads/baton/issue-7", sha);
        var conflict = await Assert.ThrowsAsync<GitHubApiException>(() =>
            Client.CreateRefAsync(Owner, Name, "refs/heads/baton/issue-7", new string('a', 40)));

        Assert.Equal(("refs/heads/baton/issue-7", sha), (created.Ref, created.Object.Sha));
        Assert.Equal(sha, again.Object.Sha);
        Assert.Equal(422, conflict.StatusCode);
        Assert.Equal(sha, Emulator.BranchSha(EmulatorHarness.Repo, "baton/issue-7"));
    }

    [Fact]
    public async Task UnknownIssue_IsPermanent404()
    {
        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => Client.GetIssueAsync(Owner, Name, 999));

        Assert.Equal((FailureClass.Permanent, 404), (failure.FailureClass, failure.StatusCode));
    }
}
