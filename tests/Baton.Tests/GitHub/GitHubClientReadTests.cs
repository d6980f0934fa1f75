using Baton.Activities.GitHub;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.GitHub;

/// <summary>Reads over real HTTP against the fake server serving recorded responses: headers, pagination, ETags.</summary>
public sealed class GitHubClientReadTests : FakeGitHubTest
{
    [ConformanceFact]
    public async Task ListIssues_RecordedFivePages_FollowsLinkHeadersToTheLastPage()
    {
        server.ServeRecorded(GitHubFixtures.Recorded("paginate-issues"));

        var issues = await github.Client.ListIssuesAsync("octokit-fixture-org", "paginate-issues");

        Assert.Equal(Enumerable.Range(1, 13).Reverse(), issues.Select(i => i.Number));
        Assert.Equal(
            ["/repos/octokit-fixture-org/paginate-issues/issues?state=open&per_page=100",
             "/repositories/1000/issues?per_page=3&page=2", "/repositories/1000/issues?per_page=3&page=3",
             "/repositories/1000/issues?per_page=3&page=4", "/repositories/1000/issues?per_page=3&page=5"],
            server.Received.Select(r => r.PathAndQuery));
    }

    /// <summary>Three pages of two issues (6..1), linked the way GitHub links them: by repository id, absolute URLs.</summary>
    static void ServeThreePages(FakeGitHubServer server)
    {
        static string Page(params int[] numbers) => "[" + string.Join(",", numbers.Select(n => RestPayloads.IssueIn("o/r", n, 9000 + n, $"Issue {n}"))) + "]";
        static string Link(int next) =>
            $"<https://api.github.com/repositories/1000/issues?per_page=2&page={next}>; rel=\"next\", <https://api.github.com/repositories/1000/issues?per_page=2&page=3>; rel=\"last\"";
        server.Serve("GET", "/repos/o/r/issues?state=open&per_page=100", FakeResponse.Json(200, Page(6, 5), ("Link", Link(2))));
        server.Serve("GET", "/repositories/1000/issues?per_page=2&page=2", FakeResponse.Json(200, Page(4, 3), ("Link", Link(3))));
        server.Serve("GET", "/repositories/1000/issues?per_page=2&page=3", FakeResponse.Json(200, Page(2, 1)));
    }

    [Fact]
    public async Task ListIssues_LinkedPages_FollowsLinkHeadersToTheLastPage()
    {
        ServeThreePages(server);

        var issues = await github.Client.ListIssuesAsync("o", "r");

        Assert.Equal([6, 5, 4, 3, 2, 1], issues.Select(i => i.Number));
        Assert.Equal(
            ["/repos/o/r/issues?state=open&per_page=100", "/repositories/1000/issues?per_page=2&page=2", "/repositories/1000/issues?per_page=2&page=3"],
            server.Received.Select(r => r.PathAndQuery));
    }

    [Fact]
    public async Task AnyCall_SendsGitHubHeadersAndBearerToken()
    {
        server.Serve("GET", "/repos/octocat/Hello-World/issues/1347", FakeResponse.Json(200, RestPayloads.IssueIn("octocat/Hello-World", 1347, 1)));

        var issue = await github.Client.GetIssueAsync("octocat", "Hello-World", 1347);

        var request = Assert.Single(server.Received);
        Assert.Equal("application/vnd.github+json", request.Header("Accept"));
        Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
        Assert.StartsWith("Baton", request.Header("User-Agent"), StringComparison.Ordinal);
        Assert.Equal("Bearer ghp_test-token", request.Header("Authorization"));
        Assert.Equal((1347, "Found a bug", "open"), (issue.Number, issue.Title, issue.State));
        Assert.Contains(issue.Labels, l => l.Name == "bug");
        Assert.Equal("v1.0", issue.Milestone?.Title);
    }

    [Fact]
    public async Task ListIssues_WithLabelsAndState_SendsThemAsQuery()
    {
        server.Serve("GET", "/repos/o/r/issues", FakeResponse.Json(200, $"[{RestPayloads.Issue}]"));

        var issues = await github.Client.ListIssuesAsync("o", "r", ["approved", "high-priority"], GitHubIssueState.All);

        Assert.Single(issues);
        Assert.Equal("/repos/o/r/issues?state=all&labels=approved%2Chigh-priority&per_page=100", Assert.Single(server.Received).PathAndQuery);
    }

    [Fact]
    public async Task GetIssue_UnchangedOnSecondRead_SendsIfNoneMatchAndServesCachedBodyWithoutRateLimitCost()
    {
        const string etag = "\"644b5b0155e6404a9cc4bd9d8b1ae730\"";
        var body = RestPayloads.IssueIn("octocat/Hello-World", 1347, 1);
        server.Handle("GET", "/repos/octocat/Hello-World/issues/1347", request => request.Header("If-None-Match") == etag
            ? new FakeResponse(304, Headers: new Dictionary<string, string> { ["ETag"] = etag })
            : FakeResponse.Json(200, body, ("ETag", etag)));

        var first = await github.Client.GetIssueAsync("octocat", "Hello-World", 1347);
        var second = await github.Client.GetIssueAsync("octocat", "Hello-World", 1347);

        Assert.Equal(first, second with { Labels = first.Labels, Assignees = first.Assignees });
        Assert.Equal(first.Labels, second.Labels);
        Assert.Equal([null, etag], server.Received.Select(r => r.Header("If-None-Match")));
        Assert.Equal((2L, 1L, 1L), (github.Client.Usage.Responses, github.Client.Usage.ConditionalHits, github.Client.Usage.CountedAgainstRateLimit));
    }

    [Fact]
    public async Task ListIssues_UnchangedLinkedPages_ReplaysCachedLinksToo()
    {
        const string etag = "\"11111111111111111111111111111111\"";
        var pages = new[] { "/repos/o/r/issues?state=open&per_page=100", "/repositories/1000/issues?per_page=2&page=2", "/repositories/1000/issues?per_page=2&page=3" };
        for (var i = 0; i < pages.Length; i++)
        {
            var (numbers, link) = i switch
            {
                0 => (new[] { 6, 5 }, "<https://api.github.com/repositories/1000/issues?per_page=2&page=2>; rel=\"next\""),
                1 => (new[] { 4, 3 }, "<https://api.github.com/repositories/1000/issues?per_page=2&page=3>; rel=\"next\""),
                _ => (new[] { 2, 1 }, (string?)null),
            };
            var body = "[" + string.Join(",", numbers.Select(n => RestPayloads.IssueIn("o/r", n, 9000 + n))) + "]";
            var headers = new Dictionary<string, string> { ["ETag"] = etag, ["Content-Type"] = "application/json; charset=utf-8" };
            if (link is not null) headers["Link"] = link;
            server.Handle("GET", pages[i], request => request.Header("If-None-Match") == etag
                ? new FakeResponse(304)
                : new FakeResponse(200, body, headers));
        }

        var first = await github.Client.ListIssuesAsync("o", "r");
        var second = await github.Client.ListIssuesAsync("o", "r");

        Assert.Equal([6, 5, 4, 3, 2, 1], second.Select(i => i.Number));
        Assert.Equal(first.Select(i => i.Number), second.Select(i => i.Number));
        Assert.Equal(3, github.Client.Usage.ConditionalHits);
        Assert.Equal(3, github.Client.Usage.CountedAgainstRateLimit);
    }

    [ConformanceFact]
    public async Task ListIssues_RecordedUnchangedPages_ReplaysCachedLinksToo()
    {
        const string etag = "\"00000000000000000000000000000000\"";
        foreach (var exchange in GitHubFixtures.Recorded("paginate-issues"))
            server.Handle(exchange.Method, exchange.PathAndQuery, request => request.Header("If-None-Match") == etag
                ? new FakeResponse(304)
                : new FakeResponse(exchange.Status, exchange.Body, exchange.Headers));

        var first = await github.Client.ListIssuesAsync("octokit-fixture-org", "paginate-issues");
        var second = await github.Client.ListIssuesAsync("octokit-fixture-org", "paginate-issues");

        Assert.Equal(first.Select(i => i.Number), second.Select(i => i.Number));
        Assert.Equal(5, github.Client.Usage.ConditionalHits);
        Assert.Equal(5, github.Client.Usage.CountedAgainstRateLimit);
    }

    [Fact]
    public async Task ListBlockedBy_Answer_GivesIssueDatabaseIdsAndRepositories()
    {
        server.Serve("GET", "/repos/octocat/Hello-World/issues/5/dependencies/blocked_by",
            FakeResponse.Json(200, $"[{RestPayloads.IssueIn("octocat/Hello-World", 1347, 1)}]"));

        var blockers = await github.Client.ListBlockedByAsync("octocat", "Hello-World", 5);

        var blocker = Assert.Single(blockers);
        Assert.Equal((1L, 1347), (blocker.Id, blocker.Number));
        Assert.Equal("https://api.github.com/repos/octocat/Hello-World", blocker.RepositoryUrl);
    }

    [Fact]
    public async Task ListCheckRuns_Page_UnwrapsIt()
    {
        server.Serve("GET", "/repos/o/r/commits/main/check-runs", FakeResponse.Json(200, RestPayloads.CheckRuns));

        var runs = await github.Client.ListCheckRunsAsync("o", "r", "main");

        var run = Assert.Single(runs);
        Assert.Equal(("completed", "neutral", "ce587453ced02b1526dfb4cb910479d431683101"), (run.Status, run.Conclusion, run.HeadSha));
    }

    [Fact]
    public async Task GetMilestoneAndPullRequestFiles_Answers_Deserialize()
    {
        server.Serve("GET", "/repos/o/r/milestones/1", FakeResponse.Json(200, RestPayloads.Milestone));
        server.Serve("GET", "/repos/o/r/pulls/7/files", FakeResponse.Json(200, RestPayloads.PullRequestFiles));

        var milestone = await github.Client.GetMilestoneAsync("o", "r", 1);
        var files = await github.Client.ListPullRequestFilesAsync("o", "r", 7);

        Assert.Equal((1, "v1.0", "open", 4, 8), (milestone.Number, milestone.Title, milestone.State, milestone.OpenIssues, milestone.ClosedIssues));
        Assert.Equal("file1.txt", Assert.Single(files).Filename);
    }

    [Fact]
    public async Task FindLabelAddedAt_EventLog_GivesTheLatestLabeledEvent()
    {
        server.Serve("GET", "/repos/o/r/issues/3/events", FakeResponse.Json(200, """
            [
              {"id": 1, "event": "labeled", "created_at": "2026-11-01T10:00:00Z", "actor": {"id": 1, "login": "octocat"}, "label": {"name": "approved", "color": "0e8a16"}},
              {"id": 2, "event": "unlabeled", "created_at": "2026-11-02T10:00:00Z", "label": {"name": "approved", "color": "0e8a16"}},
              {"id": 3, "event": "labeled", "created_at": "2026-11-03T10:00:00Z", "label": {"name": "Approved", "color": "0e8a16"}},
              {"id": 4, "event": "labeled", "created_at": "2026-11-04T10:00:00Z", "label": {"name": "bug", "color": "d73a4a"}},
              {"id": 5, "event": "assigned", "created_at": "2026-11-05T10:00:00Z"}
            ]
            """));

        var approvedAt = await github.Client.FindLabelAddedAtAsync("o", "r", 3, "approved");
        var neverAt = await github.Client.FindLabelAddedAtAsync("o", "r", 3, "critical");

        Assert.Equal(new DateTimeOffset(2026, 11, 3, 10, 0, 0, TimeSpan.Zero), approvedAt);
        Assert.Null(neverAt);
    }
}
