using System.Globalization;
using System.Net;
using System.Text.Json;
using Baton.Activities.GitHub;
using Baton.Demo.GitHubEmulator;

namespace Baton.Tests.Emulator;

/// <summary>Pagination, conditional requests and rate-limit accounting, as GitHub does them.</summary>
public sealed class EmulatorHttpTests : IAsyncLifetime
{
    EmulatorHarness harness = null!;
    readonly HttpClient http = new();

    GitHubEmulator Emulator => harness.Emulator;

    public async Task InitializeAsync() => harness = await EmulatorHarness.StartAsync();

    public async Task DisposeAsync()
    {
        http.Dispose();
        await harness.DisposeAsync();
    }

    Uri Api(string pathAndQuery) => new(Emulator.BaseUrl, pathAndQuery);

    [Fact]
    public async Task List_PagesWithLinkHeaders()
    {
        for (var i = 1; i <= 5; i++) Emulator.CreateIssue(EmulatorHarness.Repo, $"issue {i}");

        using var first = await http.GetAsync(Api("repos/acme/widgets/issues?per_page=2"));
        using var last = await http.GetAsync(Api("repos/acme/widgets/issues?per_page=2&page=3"));

        var firstLinks = first.Headers.GetValues("Link").Single();
        Assert.Contains("page=2>; rel=\"next\"", firstLinks, StringComparison.Ordinal);
        Assert.Contains("page=3>; rel=\"last\"", firstLinks, StringComparison.Ordinal);
        Assert.StartsWith($"<{Emulator.BaseUrl}repos/acme/widgets/issues?per_page=2&page=2>", firstLinks, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadJsonAsync(first)).RootElement.GetArrayLength());
        var lastLinks = last.Headers.GetValues("Link").Single();
        Assert.DoesNotContain("rel=\"next\"", lastLinks, StringComparison.Ordinal);
        Assert.Contains("rel=\"prev\"", lastLinks, StringComparison.Ordinal);
        var lastPage = await ReadJsonAsync(last);
        Assert.Equal(1, lastPage.RootElement.GetArrayLength());
        Assert.Equal(1, lastPage.RootElement[0].GetProperty("number").GetInt32());
    }

    [Fact]
    public async Task Client_FollowsEveryPage()
    {
        for (var i = 1; i <= 230; i++) Emulator.CreateIssue(EmulatorHarness.Repo, $"issue {i}", "approved");

        var issues = await harness.Client.ListIssuesAsync("acme", "widgets", ["approved"]);

        Assert.Equal(230, issues.Count);
        Assert.Equal(230, issues.Select(i => i.Number).Distinct().Count());
        Assert.Equal(3, Emulator.Usage.Count("GET /repos/{owner}/{repo}/issues"));
    }

    [Fact]
    public async Task UnchangedRead_Is304AndCostsNoRateLimit()
    {
        var issue = Emulator.CreateIssue(EmulatorHarness.Repo, "t", "approved");
        var client = harness.Client;

        await client.ListLabelsAsync("acme", "widgets", issue.Number);
        var costBefore = Emulator.Usage.RateLimited;
        var repeated = await client.ListLabelsAsync("acme", "widgets", issue.Number);

        Assert.Equal("approved", Assert.Single(repeated).Name);
        Assert.Equal(costBefore, Emulator.Usage.RateLimited);
        Assert.Equal(2, Emulator.Usage.Count("GET /repos/{owner}/{repo}/issues/{number}/labels"));
        Assert.Equal(1, client.Usage.ConditionalHits);

        Emulator.AddLabel(issue, "critical");
        var changed = await client.ListLabelsAsync("acme", "widgets", issue.Number);

        Assert.Equal(["approved", "critical"], changed.Select(l => l.Name));
        Assert.Equal(costBefore + 1, Emulator.Usage.RateLimited);
    }

    [Fact]
    public async Task Responses_CarryRateLimitHeaders_And304DoesNotDecrement()
    {
        Emulator.CreateIssue(EmulatorHarness.Repo, "t");

        using var first = await http.GetAsync(Api("repos/acme/widgets/issues/1"));
        using var conditional = new HttpRequestMessage(HttpMethod.Get, Api("repos/acme/widgets/issues/1"));
        conditional.Headers.TryAddWithoutValidation("If-None-Match", first.Headers.ETag!.ToString());
        using var notModified = await http.SendAsync(conditional);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Equal("4999", Header(first, "x-ratelimit-remaining"));
        Assert.Equal("4999", Header(notModified, "x-ratelimit-remaining"));
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header(first, "x-ratelimit-reset")!, CultureInfo.InvariantCulture));
        Assert.InRange(reset, DateTimeOffset.UtcNow.AddMinutes(50), DateTimeOffset.UtcNow.AddMinutes(61));
    }

    [Fact]
    public async Task BadRequests_GetGitHubErrors()
    {
        Emulator.CreateIssue(EmulatorHarness.Repo, "t");

        using var missingRepo = await http.GetAsync(Api("repos/acme/nothing/issues/1"));
        using var badJson = await http.PostAsync(Api("repos/acme/widgets/issues/1/labels"), new StringContent("{not json"));
        using var missingField = await http.PostAsync(Api("repos/acme/widgets/issues/1/comments"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, missingRepo.StatusCode);
        Assert.Equal("Not Found", (await ReadJsonAsync(missingRepo)).RootElement.GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, missingField.StatusCode);
        Assert.Empty(Emulator.GetIssue(new EmulatedIssueRef(EmulatorHarness.Repo, 1, 0)).Comments);
    }

    [Fact]
    public async Task BlockedBy_AddAndRemoveByDatabaseId()
    {
        var blocked = Emulator.CreateIssue(EmulatorHarness.Repo, "blocked");
        var blocker = Emulator.CreateIssue(EmulatorHarness.Repo, "blocker");

        using var added = await http.PostAsync(Api("repos/acme/widgets/issues/1/dependencies/blocked_by"),
            new StringContent($$"""{"issue_id":{{blocker.Id}}}"""));
        var whileBlocked = Emulator.GetIssue(blocked).BlockedBy;
        using var removed = await http.DeleteAsync(Api($"repos/acme/widgets/issues/1/dependencies/blocked_by/{blocker.Id}"));

        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(blocker, Assert.Single(whileBlocked));
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty(Emulator.GetIssue(blocked).BlockedBy);
    }

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : null;

    static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());
}
