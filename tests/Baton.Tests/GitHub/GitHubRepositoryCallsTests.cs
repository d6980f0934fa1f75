using Baton.Failures;
using System.Text;
using System.Text.Json.Nodes;
using Baton.Activities.GitHub;


namespace Baton.Tests.GitHub;

/// <summary>Repository, file-content and check reads the pipeline needs (default branch, <c>.baton.yml</c>, CI).</summary>
public sealed class GitHubRepositoryCallsTests : FakeGitHubTest
{
    // Shaped like GitHub's documented answers for GET /repos/{o}/{r} and GET …/contents/{path} (no recording exists).
    const string RepositoryBody = """
        {"id": 1296269, "node_id": "MDEwOlJlcG9zaXRvcnkxMjk2MjY5", "name": "Hello-World", "full_name": "octocat/Hello-World",
         "owner": {"login": "octocat", "id": 1}, "private": false, "html_url": "https://github.com/octocat/Hello-World",
         "default_branch": "trunk", "archived": false, "visibility": "public"}
        """;

    static string ContentBody(string text, string path = ".baton.yml")
    {
        // GitHub wraps base64 content at 60 characters with "\n".
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        var wrapped = string.Join("\n", base64.Chunk(60).Select(c => new string(c))) + "\n";
        return new JsonObject
        {
            ["type"] = "file", ["encoding"] = "base64", ["size"] = text.Length, ["name"] = path, ["path"] = path,
            ["content"] = wrapped, ["sha"] = "3d21ec53a331a6f037a91c368710b99387d012c1",
        }.ToJsonString();
    }

    [Fact]
    public async Task GetRepository_GivesTheDefaultBranch()
    {
        server.Serve("GET", "/repos/octocat/Hello-World", FakeResponse.Json(200, RepositoryBody));

        var repository = await github.Client.GetRepositoryAsync("octocat", "Hello-World");

        Assert.Equal(("trunk", "octocat/Hello-World", false), (repository.DefaultBranch, repository.FullName, repository.Private));
    }

    [Fact]
    public async Task GetFileContent_Base64WrappedAcrossLines_DecodesTheText()
    {
        var text = "gates:\n  payments: [\"src/billing/**\"]\napprovers: [\"alice\", \"bob\"]   # ünïcode ok\n";
        server.Serve("GET", "/repos/o/r/contents/.baton.yml?ref=main", FakeResponse.Json(200, ContentBody(text)));

        var content = await github.Client.GetFileContentAsync("o", "r", ".baton.yml", "main");

        Assert.Equal(text, content);
        Assert.Equal("/repos/o/r/contents/.baton.yml?ref=main", Assert.Single(server.Received).PathAndQuery);
    }

    [Fact]
    public async Task GetFileContent_NestedPathAndBranchWithSlash_EscapesSegmentsButKeepsSlashes()
    {
        server.Serve("GET", "/repos/o/r/contents/config/baton%20rules.yml", FakeResponse.Json(200, ContentBody("x: 1\n")));

        await github.Client.GetFileContentAsync("o", "r", "/config/baton rules.yml", "feature/x");

        Assert.Equal("/repos/o/r/contents/config/baton%20rules.yml?ref=feature%2Fx", Assert.Single(server.Received).PathAndQuery);
    }

    [Fact]
    public async Task GetFileContent_Missing_IsNullAndNotAFailure()
    {
        var content = await github.Client.GetFileContentAsync("o", "r", ".baton.yml", "main");

        Assert.Null(content);
        Assert.Equal(1, server.Count("GET", "/repos/o/r/contents/.baton.yml"));
    }

    [Fact]
    public async Task GetFileContent_UnchangedOnSecondRead_IsServedFromTheETagCache()
    {
        const string etag = "\"b1946ac92492d2347c6235b4d2611184\"";
        var body = ContentBody("approvers: [alice]\n");
        server.Handle("GET", "/repos/o/r/contents/.baton.yml", request => request.Header("If-None-Match") == etag
            ? new FakeResponse(304)
            : FakeResponse.Json(200, body, ("ETag", etag)));

        var first = await github.Client.GetFileContentAsync("o", "r", ".baton.yml", "main");
        var second = await github.Client.GetFileContentAsync("o", "r", ".baton.yml", "main");

        Assert.Equal(first, second);
        Assert.Equal(1, github.Client.Usage.ConditionalHits);
    }

    [Fact]
    public async Task GetFileContent_Directory_IsPermanent()
    {
        server.Serve("GET", "/repos/o/r/contents/.baton.yml", FakeResponse.Json(200, "[]"));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.GetFileContentAsync("o", "r", ".baton.yml"));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains("is a directory", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFileContent_OverTheContentsLimit_IsPermanent()
    {
        server.Serve("GET", "/repos/o/r/contents/big.yml", FakeResponse.Json(200,
            """{"type": "file", "encoding": "none", "size": 2000000, "name": "big.yml", "path": "big.yml", "content": ""}"""));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.GetFileContentAsync("o", "r", "big.yml"));

        Assert.Contains("too large for the contents API", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetFileContent_401_StillFails()
    {
        server.Serve("GET", "/repos/o/r/contents/.baton.yml", FakeResponse.Json(401, """{"message":"Bad credentials"}"""));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.GetFileContentAsync("o", "r", ".baton.yml"));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
    }

    [Fact]
    public async Task ListCheckRuns_Page_CarriesTheOutput()
    {
        server.Serve("GET", "/repos/o/r/commits/main/check-runs", FakeResponse.Json(200, RestPayloads.CheckRuns));

        var run = Assert.Single(await github.Client.ListCheckRunsAsync("o", "r", "main"));

        Assert.Equal(("completed", "neutral"), (run.Status, run.Conclusion));
        Assert.Equal("Mighty Readme report", run.Output?.Title);
        Assert.Equal("There are 0 failures, 2 warnings, and 1 notice.", run.Output?.Summary);
        Assert.Equal(2, run.Output?.AnnotationsCount);
        Assert.Equal("https://example.com", run.DetailsUrl);
    }

    [Fact]
    public async Task ListCheckSuites_Page_UnwrapsIt()
    {
        server.Serve("GET", "/repos/o/r/commits/d6fde92930d4715a2b49857d24b940956b26d2d3/check-suites",
            FakeResponse.Json(200, RestPayloads.CheckSuites));

        var suite = Assert.Single(await github.Client.ListCheckSuitesAsync("o", "r", "d6fde92930d4715a2b49857d24b940956b26d2d3"));

        Assert.Equal((5L, "completed", "neutral", "master"), (suite.Id, suite.Status, suite.Conclusion, suite.HeadBranch));
        Assert.Equal("octoapp", suite.App?.Slug);
    }
}
