using System.Text;
using System.Text.Json;
using Baton.Demo.GitHubEmulator;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Emulator;

/// <summary>
/// The emulator backed by a real bare repository: pull requests from pushed branches, pushes and synchronize, scripted
/// CI, reviews, real squash merges and file contents, called over HTTP as Baton calls GitHub.
/// </summary>
public sealed class EmulatorGitTests : IAsyncLifetime
{
    const string Branch = "baton/1-add-notes";
    EmulatorGitFixture git = null!;

    GitHubEmulator Emulator => git.Emulator;

    public async Task InitializeAsync() => git = await EmulatorGitFixture.StartAsync();

    public async Task DisposeAsync() => await git.DisposeAsync();

    [Fact]
    public async Task OpenPullRequest_FromPushedBranch_TakesHeadShaAndFilesFromGit()
    {
        var head = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\ntwo\n"), ("README.md", "# acme/widgets\n\nChanged.\n"));
        await Emulator.SyncGitAsync();

        var (number, headSha) = await git.OpenPullRequestAsync(Branch);
        var files = await git.GetJsonAsync($"repos/acme/widgets/pulls/{number}/files");

        Assert.Equal(head, headSha);
        var byName = files.EnumerateArray().ToDictionary(f => f.GetProperty("filename").GetString()!);
        Assert.Equal(["README.md", "notes/issue-1.md"], byName.Keys.Order());
        Assert.Equal(("added", 2, 0), (byName["notes/issue-1.md"].GetProperty("status").GetString(), byName["notes/issue-1.md"].GetProperty("additions").GetInt32(), byName["notes/issue-1.md"].GetProperty("deletions").GetInt32()));
        Assert.Equal("modified", byName["README.md"].GetProperty("status").GetString());
        Assert.Contains("+Changed.", byName["README.md"].GetProperty("patch").GetString(), StringComparison.Ordinal);
        var branch = await git.GetJsonAsync($"repos/acme/widgets/branches/{Branch}");
        Assert.Equal(head, branch.GetProperty("commit").GetProperty("sha").GetString());
        var gitRef = await git.GetJsonAsync($"repos/acme/widgets/git/ref/heads/{Branch}");
        Assert.Equal(head, gitRef.GetProperty("object").GetProperty("sha").GetString());
        var webhooks = await git.WebhooksAsync();
        Assert.Equal(["push", "pull_request"], webhooks.Select(w => w.Event));
        Assert.Equal(($"refs/heads/{Branch}", head, true), (webhooks[0].Body.GetProperty("ref").GetString(), webhooks[0].Body.GetProperty("after").GetString(), webhooks[0].Body.GetProperty("created").GetBoolean()));
        Assert.Equal("Add notes", webhooks[0].Body.GetProperty("head_commit").GetProperty("message").GetString());
    }

    [Fact]
    public async Task OpenPullRequest_FromMissingOrEmptyBranch_Is422()
    {
        await git.BareGitAsync("branch", "empty", "main");
        await Emulator.SyncGitAsync();

        var (missing, _) = await git.SendJsonAsync(HttpMethod.Post, "repos/acme/widgets/pulls", new { title = "t", head = "nowhere", @base = "main" });
        var (empty, body) = await git.SendJsonAsync(HttpMethod.Post, "repos/acme/widgets/pulls", new { title = "t", head = "empty", @base = "main" });

        Assert.Equal((422, 422), (missing, empty));
        Assert.Contains("No commits between", body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PushAgain_WatcherSendsPushThenSynchronize_AndPullRequestFollowsTheBranch()
    {
        var first = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        await Emulator.SyncGitAsync();
        var (number, _) = await git.OpenPullRequestAsync(Branch);

        var second = await git.PushAsync(Branch, "Fix tests", ("tests/notes.txt", "ok\n")); // no sync call: the watcher finds it
        var synchronize = await git.WaitForWebhookAsync("pull_request", b => b.GetProperty("action").GetString() == "synchronize");

        Assert.Equal((first, second, number), (synchronize.GetProperty("before").GetString(), synchronize.GetProperty("after").GetString(), synchronize.GetProperty("number").GetInt32()));
        Assert.Equal(second, synchronize.GetProperty("pull_request").GetProperty("head").GetProperty("sha").GetString());
        var events = (await git.WebhooksAsync()).Select(w => w.Event).ToList();
        Assert.Equal(["push", "pull_request", "push", "pull_request"], events);
        var parsed = Assert.IsType<PullRequestEvent>(GitHubPayloadParser.Parse("pull_request", git.Receiver.Received[^1].Body));
        Assert.Equal((GitHubAction.Synchronize, second), (parsed.Action, parsed.PullRequest.Head.Sha));
        var pull = await git.GetJsonAsync($"repos/acme/widgets/pulls/{number}");
        Assert.Equal(second, pull.GetProperty("head").GetProperty("sha").GetString());
        var files = await git.GetJsonAsync($"repos/acme/widgets/pulls/{number}/files");
        Assert.Equal(["notes/issue-1.md", "tests/notes.txt"], files.EnumerateArray().Select(f => f.GetProperty("filename").GetString()).Order());
        Assert.Equal(second, Emulator.GetPullRequest(Emulator.FindPullRequest(EmulatorGitFixture.Repo, Branch)!).HeadSha);
    }

    [Fact]
    public async Task ScriptedCi_FailureThenSuccess_SendsSuitesForEachHeadAndCheckRunsAgree()
    {
        var runs = new List<EmulatedCiRun>();
        // Long enough that the pull request is open before the first run completes, even on a loaded machine: a suite
        // that completes first lists no pull requests (as on GitHub), and this test checks that they are listed.
        Emulator.CiDelay = TimeSpan.FromSeconds(3);
        Emulator.CiScript = run =>
        {
            lock (runs) runs.Add(run);
            return run.Branch == "main" ? null : run.Run == 1 ? new EmulatedCiOutcome("failure", "2 tests failed", "NotesTest.Renders: expected 'one'") : "success";
        };
        var first = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        await Emulator.SyncGitAsync();
        var (number, _) = await git.OpenPullRequestAsync(Branch);
        await Emulator.CiIdleAsync();
        var second = await git.PushAsync(Branch, "Fix the test", ("notes/issue-1.md", "two\n"));
        await Emulator.SyncGitAsync();
        await Emulator.CiIdleAsync();

        var suites = (await git.WebhooksAsync()).Where(w => w.Event == "check_suite").Select(w => w.Body.GetProperty("check_suite")).ToList();
        Assert.Equal(
            [(first, "failure", Branch, number), (second, "success", Branch, number)],
            suites.Select(s => (s.GetProperty("head_sha").GetString(), s.GetProperty("conclusion").GetString(), s.GetProperty("head_branch").GetString(),
                s.GetProperty("pull_requests")[0].GetProperty("number").GetInt32())));
        var failedRun = (await git.WebhooksAsync()).First(w => w.Event == "check_run").Body.GetProperty("check_run");
        Assert.Equal(("ci", "2 tests failed"), (failedRun.GetProperty("name").GetString(), failedRun.GetProperty("output").GetProperty("title").GetString()));
        var workflowRuns = (await git.WebhooksAsync()).Where(w => w.Event == "workflow_run").Select(w => GitHubPayloadParser.Parse("workflow_run", Encoding.UTF8.GetBytes(w.Body.GetRawText()))).Cast<WorkflowRunEvent>().ToList();
        Assert.Equal([(first, "failure"), (second, "success")], workflowRuns.Select(w => (w.WorkflowRun.HeadSha, w.WorkflowRun.Conclusion)));

        var onFirst = await git.GetJsonAsync($"repos/acme/widgets/commits/{first}/check-runs");
        var onBranch = await git.GetJsonAsync($"repos/acme/widgets/commits/{Uri.EscapeDataString(Branch)}/check-runs");
        Assert.Equal(("failure", "NotesTest.Renders: expected 'one'"),
            (onFirst.GetProperty("check_runs")[0].GetProperty("conclusion").GetString(), onFirst.GetProperty("check_runs")[0].GetProperty("output").GetProperty("summary").GetString()));
        Assert.Equal((1, "success", second), (onBranch.GetProperty("total_count").GetInt32(), onBranch.GetProperty("check_runs")[0].GetProperty("conclusion").GetString(),
            onBranch.GetProperty("check_runs")[0].GetProperty("head_sha").GetString()));
        Assert.Equal(2, Emulator.CiRunCount(EmulatorGitFixture.Repo, Branch));
        Assert.Equal([(Branch, first, 1), (Branch, second, 2)], runs.Select(r => (r.Branch, r.HeadSha, r.Run)));
    }

    [Fact]
    public async Task CheckRun_IsInProgressUntilTheDelayPasses()
    {
        Emulator.CiDelay = TimeSpan.FromSeconds(30);
        Emulator.CiScript = _ => "success";
        var head = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        await Emulator.SyncGitAsync();

        var runs = await git.GetJsonAsync($"repos/acme/widgets/commits/{head}/check-runs");

        Assert.Equal(("in_progress", JsonValueKind.Null), (runs.GetProperty("check_runs")[0].GetProperty("status").GetString(), runs.GetProperty("check_runs")[0].GetProperty("conclusion").ValueKind));
        Assert.DoesNotContain(await git.WebhooksAsync(), w => w.Event == "check_suite");
    }

    [Fact]
    public async Task Reviews_CreatedThroughTheApiAndByAHuman_AreListedAndAnnounced()
    {
        var head = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        await Emulator.SyncGitAsync();
        var (number, _) = await git.OpenPullRequestAsync(Branch);

        var (changesStatus, changes) = await git.SendJsonAsync(HttpMethod.Post, $"repos/acme/widgets/pulls/{number}/reviews", new { @event = "REQUEST_CHANGES", body = "Handle the empty case." });
        var (approveStatus, _) = await git.SendJsonAsync(HttpMethod.Post, $"repos/acme/widgets/pulls/{number}/reviews", new { @event = "APPROVE", body = "", commit_id = head });
        var (missingBody, _) = await git.SendJsonAsync(HttpMethod.Post, $"repos/acme/widgets/pulls/{number}/reviews", new { @event = "COMMENT" });
        Emulator.ApproveReview(Emulator.FindPullRequest(EmulatorGitFixture.Repo, Branch)!, "alice");
        var listed = await git.GetJsonAsync($"repos/acme/widgets/pulls/{number}/reviews");

        Assert.Equal((200, 200, 422), (changesStatus, approveStatus, missingBody));
        Assert.Equal(("CHANGES_REQUESTED", Emulator.ApiUser, head), (changes.GetProperty("state").GetString(), changes.GetProperty("user").GetProperty("login").GetString(), changes.GetProperty("commit_id").GetString()));
        Assert.Equal(
            [("CHANGES_REQUESTED", Emulator.ApiUser, head), ("APPROVED", Emulator.ApiUser, head), ("APPROVED", "alice", head)],
            listed.EnumerateArray().Select(r => (r.GetProperty("state").GetString(), r.GetProperty("user").GetProperty("login").GetString(), r.GetProperty("commit_id").GetString())));
        await git.WebhooksAsync();   // every webhook sent so far has arrived
        var reviews = git.Receiver.Received.Where(r => r.Event == "pull_request_review").Select(r => Assert.IsType<PullRequestReviewEvent>(GitHubPayloadParser.Parse(r.Event, r.Body))).ToList();
        Assert.Equal(
            [("changes_requested", head, Emulator.ApiUser), ("approved", head, Emulator.ApiUser), ("approved", head, "alice")],
            reviews.Select(r => (r.Review.State, r.Review.CommitId, r.Review.User?.Login)));
        Assert.Equal(["CHANGES_REQUESTED", "APPROVED", "APPROVED"], Emulator.GetReviews(Emulator.FindPullRequest(EmulatorGitFixture.Repo, Branch)!).Select(r => r.State));
    }

    [Fact]
    public async Task Merge_SquashesIntoMainForReal()
    {
        var mainBefore = (await git.BareGitAsync("rev-parse", "main")).Trim();
        await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        var head = await git.PushAsync(Branch, "Add more notes", ("notes/more.md", "more\n"));
        await Emulator.SyncGitAsync();
        var (number, _) = await git.OpenPullRequestAsync(Branch, "Add notes for #1");

        var (status, merged) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{number}/merge", new { merge_method = "squash", sha = head });

        Assert.Equal((200, true), (status, merged.GetProperty("merged").GetBoolean()));
        var mergeSha = merged.GetProperty("sha").GetString();
        Assert.Equal(mergeSha, (await git.BareGitAsync("rev-parse", "main")).Trim());
        Assert.Equal("1", (await git.BareGitAsync("rev-list", "--count", $"{mainBefore}..main")).Trim());
        Assert.Equal($"Add notes for #1 (#{number})", (await git.BareGitAsync("log", "-1", "--format=%s", "main")).Trim());
        Assert.Equal("one\n", await Emulator.ReadFileAsync(EmulatorGitFixture.Repo, "main", "notes/issue-1.md"));
        Assert.Equal("more\n", await Emulator.ReadFileAsync(EmulatorGitFixture.Repo, "main", "notes/more.md"));
        var pull = await git.GetJsonAsync($"repos/acme/widgets/pulls/{number}");
        Assert.Equal((true, "closed", mergeSha), (pull.GetProperty("merged").GetBoolean(), pull.GetProperty("state").GetString(), pull.GetProperty("merge_commit_sha").GetString()));
        var view = Emulator.GetPullRequest(Emulator.FindPullRequest(EmulatorGitFixture.Repo, Branch)!);
        Assert.Equal((true, mergeSha), (view.Merged, view.MergeCommitSha));
        var webhooks = await git.WebhooksAsync();
        var closed = webhooks.Single(w => w.Event == "pull_request" && w.Body.GetProperty("action").GetString() == "closed").Body;
        Assert.True(closed.GetProperty("pull_request").GetProperty("merged").GetBoolean());
        var pushToMain = webhooks.Single(w => w.Event == "push" && w.Body.GetProperty("ref").GetString() == "refs/heads/main").Body;
        Assert.Equal((mainBefore, mergeSha), (pushToMain.GetProperty("before").GetString(), pushToMain.GetProperty("after").GetString()));
    }

    [Fact]
    public async Task Merge_WithStaleSha_Is409_AndAfterMerging_Is405()
    {
        var stale = await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));
        await Emulator.SyncGitAsync();
        var (number, _) = await git.OpenPullRequestAsync(Branch);
        var head = await git.PushAsync(Branch, "More", ("notes/more.md", "more\n"));
        var mainBefore = (await git.BareGitAsync("rev-parse", "main")).Trim();

        var (staleStatus, staleBody) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{number}/merge", new { merge_method = "squash", sha = stale });
        Assert.Equal(mainBefore, (await git.BareGitAsync("rev-parse", "main")).Trim());
        var (okStatus, _) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{number}/merge", new { merge_method = "squash", sha = head });
        var (againStatus, _) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{number}/merge", new { merge_method = "squash", sha = head });

        Assert.Equal((409, "Head branch was modified. Review and try the merge again."), (staleStatus, staleBody.GetProperty("message").GetString()));
        Assert.Equal((200, 405), (okStatus, againStatus));
    }

    [Fact]
    public async Task Merge_OfAConflictingPullRequest_Is405()
    {
        await git.PushAsync("first", "Edit README", ("README.md", "first\n"));
        await git.PushAsync("second", "Edit README too", ("README.md", "second\n"));
        await Emulator.SyncGitAsync();
        var (one, _) = await git.OpenPullRequestAsync("first");
        var (two, _) = await git.OpenPullRequestAsync("second");

        var (firstStatus, _) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{one}/merge", new { merge_method = "squash" });
        var (secondStatus, body) = await git.SendJsonAsync(HttpMethod.Put, $"repos/acme/widgets/pulls/{two}/merge", new { merge_method = "squash" });
        var pull = await git.GetJsonAsync($"repos/acme/widgets/pulls/{two}");

        Assert.Equal((200, 405, "Pull Request is not mergeable"), (firstStatus, secondStatus, body.GetProperty("message").GetString()));
        Assert.False(pull.GetProperty("mergeable").GetBoolean());
        Assert.Equal("first\n", await Emulator.ReadFileAsync(EmulatorGitFixture.Repo, "main", "README.md"));
    }

    [Fact]
    public async Task Contents_ReturnsFilesFromGitByRef_And404WhenAbsent()
    {
        await Emulator.CommitFilesAsync(EmulatorGitFixture.Repo, "main", new Dictionary<string, string?> { [".baton.yml"] = "gates:\n  - migrations/**\n" }, "Configure Baton");
        await git.PushAsync(Branch, "Add notes", ("notes/issue-1.md", "one\n"));

        var config = await git.GetJsonAsync("repos/acme/widgets/contents/.baton.yml");
        var onBranch = await git.GetJsonAsync($"repos/acme/widgets/contents/notes/issue-1.md?ref={Uri.EscapeDataString(Branch)}");
        using var absentOnMain = await git.Http.GetAsync("repos/acme/widgets/contents/notes/issue-1.md");
        using var absent = await git.Http.GetAsync("repos/acme/widgets/contents/nope.txt?ref=main");
        var repository = await git.GetJsonAsync("repos/acme/widgets");

        Assert.Equal(("file", "base64", ".baton.yml", ".baton.yml"),
            (config.GetProperty("type").GetString(), config.GetProperty("encoding").GetString(), config.GetProperty("name").GetString(), config.GetProperty("path").GetString()));
        Assert.Equal("gates:\n  - migrations/**\n", Encoding.UTF8.GetString(Convert.FromBase64String(config.GetProperty("content").GetString()!.Replace("\n", "", StringComparison.Ordinal))));
        Assert.Equal((await git.BareGitAsync("rev-parse", "main:.baton.yml")).Trim(), config.GetProperty("sha").GetString());
        Assert.Equal("one\n", Encoding.UTF8.GetString(Convert.FromBase64String(onBranch.GetProperty("content").GetString()!.Replace("\n", "", StringComparison.Ordinal))));
        Assert.Equal((404, 404), ((int)absentOnMain.StatusCode, (int)absent.StatusCode));
        Assert.Equal(("main", "acme/widgets"), (repository.GetProperty("default_branch").GetString(), repository.GetProperty("full_name").GetString()));
    }
}
