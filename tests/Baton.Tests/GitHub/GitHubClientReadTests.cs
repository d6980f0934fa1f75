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

    [ConformanceFact]
    public async Task AnyCall_SendsGitHubHeadersAndBearerToken()
    {
        server.Serve("GET", "/repos/octocat/Hello-World/issues/1347", FakeResponse.Json(200, GitHubFixtures.FirstExampleItem("issues/list-for-repo.json", 200)));

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

    [ConformanceFact]
    public async Task ListIssues_WithLabelsAndState_SendsThemAsQuery()
    {
        server.Serve("GET", "/repos/o/r/issues", FakeResponse.Json(200, GitHubFixtures.Example("issues/list-for-repo.json", 200)));

        var issues = await github.Client.ListIssuesAsync("o", "r", ["approved", "high-priority"], GitHubIssueState.All);

        Assert.Single(issues);
        Assert.Equal("/repos/o/r/issues?state=all&labels=approved%2Chigh-priority&per_page=100", Assert.Single(server.Received).PathAndQuery);
    }

    [ConformanceFact]
    public async Task GetIssue_UnchangedOnSecondRead_SendsIfNoneMatchAndServesCachedBodyWithoutRateLimitCost()
    {
        const string etag = "\"644b5b0155e6404a9cc4bd9d8b1ae730\"";
        var body = GitHubFixtures.FirstExampleItem("issues/list-for-repo.json", 200);
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

    [ConformanceFact]
    public async Task ListIssues_UnchangedPages_ReplaysCachedLinksToo()
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

    [ConformanceFact]
    public async Task ListBlockedBy_DocumentedExample_GivesIssueDatabaseIdsAndRepositories()
    {
        server.Serve("GET", "/repos/octocat/Hello-World/issues/5/dependencies/blocked_by",
            FakeResponse.Json(200, GitHubFixtures.Example("issues/list-dependencies-blocked-by.json", 200)));

        var blockers = await github.Client.ListBlockedByAsync("octocat", "Hello-World", 5);

        var blocker = Assert.Single(blockers);
        Assert.Equal((1L, 1347), (blocker.Id, blocker.Number));
        Assert.Equal("https://api.github.com/repos/octocat/Hello-World", blocker.RepositoryUrl);
    }

    [ConformanceFact]
    public async Task ListCheckRuns_DocumentedExample_UnwrapsThePage()
    {
        server.Serve("GET", "/repos/o/r/commits/main/check-runs", FakeResponse.Json(200, GitHubFixtures.Example("checks/list-for-ref.json", 200)));

        var runs = await github.Client.ListCheckRunsAsync("o", "r", "main");

        var run = Assert.Single(runs);
        Assert.Equal(("completed", "neutral", "ce587453ced02b1526dfb4cb910479d431683101"), (run.Status, run.Conclusion, run.HeadSha));
    }

    [ConformanceFact]
    public async Task GetMilestoneAndPullRequestFiles_DocumentedExamples_Deserialize()
    {
        server.Serve("GET", "/repos/o/r/milestones/1", FakeResponse.Json(200, GitHubFixtures.Example("issues/get-milestone.json", 200)));
        server.Serve("GET", "/repos/o/r/pulls/7/files", FakeResponse.Json(200, GitHubFixtures.Example("pulls/list-files.json", 200)));

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
