using Baton.Activities.Jira;
using Baton.Failures;

namespace Baton.Tests.Jira;

/// <summary>The Jira client against the emulator over loopback: each REST v3 call Baton makes, and how failures are classified.</summary>
public sealed class JiraClientTests
{
    [Fact]
    public async Task GetIssue_ReadsAdfDescriptionAsText()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "Customers can buy gift cards.\n\nThey can redeem them at checkout.");

        var issue = await jira.Client.GetIssueAsync(key, CancellationToken.None);

        Assert.Equal("SHOP-1", issue.Key);
        Assert.Equal("Gift cards", issue.Fields.Summary);
        Assert.Equal("SHOP", issue.Fields.Project?.Key);
        Assert.Equal("To Do", issue.Fields.Status?.Name);
        Assert.Equal("Customers can buy gift cards.\n\nThey can redeem them at checkout.", issue.DescriptionText);
    }

    [Fact]
    public async Task CreateEditAndComment_AreVisibleOnTheIssue()
    {
        await using var jira = await JiraTestClient.StartAsync();

        var created = await jira.Client.CreateIssueAsync("SHOP", "Task", "Wallet", Adf.FromText("First"), ["voice"], CancellationToken.None);
        await jira.Client.EditIssueAsync(created.Key, new() { ["summary"] = "Wallet page" }, CancellationToken.None);
        var added = await jira.Client.EnsureCommentAsync(created.Key, "[baton:plan]", Adf.Document(Adf.Paragraph(Adf.Text("Plan [baton:plan]"))), CancellationToken.None);
        var again = await jira.Client.EnsureCommentAsync(created.Key, "[baton:plan]", Adf.FromText("Plan [baton:plan]"), CancellationToken.None);

        var comments = await jira.Client.GetCommentsAsync(created.Key, CancellationToken.None);
        Assert.True(added);
        Assert.False(again);
        Assert.Equal(["Plan [baton:plan]"], comments.Select(c => c.Text));
        Assert.Equal("Wallet page", jira.Emulator.Issue(created.Key)!.Summary);
        Assert.Equal(["voice"], jira.Emulator.Issue(created.Key)!.Labels);
    }

    [Fact]
    public async Task Transitions_AreListedByNameAndApplied()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");

        var transitions = await jira.Client.GetTransitionsAsync(key, CancellationToken.None);
        var done = transitions.Single(t => t.To?.Name == "Done");
        await jira.Client.TransitionAsync(key, done.Id, CancellationToken.None);

        Assert.DoesNotContain(transitions, t => t.To?.Name == "To Do");
        Assert.Equal("Done", jira.Emulator.Issue(key)!.Status);
    }

    [Fact]
    public async Task RemoteLink_WithTheSameGlobalId_IsUpdatedNotAdded()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");

        await jira.Client.AddRemoteLinkAsync(key, "baton:milestone:o/r:1", "https://github.com/o/r/milestone/1", "Milestone", CancellationToken.None);
        await jira.Client.AddRemoteLinkAsync(key, "baton:milestone:o/r:1", "https://github.com/o/r/milestone/1", "Milestone: Gift cards", CancellationToken.None);

        var link = Assert.Single(await jira.Client.GetRemoteLinksAsync(key, CancellationToken.None));
        Assert.Equal("Milestone: Gift cards", link.Object.Title);
    }

    [Fact]
    public async Task Search_FollowsNextPageToken()
    {
        await using var jira = await JiraTestClient.StartAsync();
        for (var i = 0; i < 7; i++) jira.Emulator.CreateIssue("SHOP", $"Feature {i}", "");
        jira.Emulator.CreateIssue("OPS", "Other project", "");

        var found = await jira.Client.SearchAsync("project = SHOP", CancellationToken.None, pageSize: 3);

        Assert.Equal(Enumerable.Range(1, 7).Select(n => $"SHOP-{n}"), found.Select(i => i.Key));
        Assert.Equal(3, jira.Emulator.Requests.Count(r => r.StartsWith("GET /rest/api/3/search/jql", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task TooManyRequests_IsRateLimitedWithRetryAfter()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");
        jira.Emulator.FailNext(1, 429, TimeSpan.FromSeconds(42));

        var failure = await Assert.ThrowsAsync<JiraApiException>(() => jira.Client.GetIssueAsync(key, CancellationToken.None));

        Assert.Equal(FailureClass.RateLimited, failure.FailureClass);
        Assert.Equal(TimeSpan.FromSeconds(42), failure.RetryAfter);
    }

    [Fact]
    public async Task ServerError_IsRetriedBriefly_ThenAnswers()
    {
        await using var jira = await JiraTestClient.StartAsync();
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");
        jira.Emulator.FailNext(2, 503);

        var issue = await jira.Client.GetIssueAsync(key, CancellationToken.None);

        Assert.Equal(key, issue.Key);
        Assert.Equal(3, jira.Emulator.Requests.Count);
    }

    [Fact]
    public async Task WrongToken_IsAuthFailed_AndNotRetried()
    {
        await using var jira = await JiraTestClient.StartAsync(apiToken: "wrong");

        var failure = await Assert.ThrowsAsync<JiraApiException>(() => jira.Client.GetIssueAsync("SHOP-1", CancellationToken.None));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
        Assert.Equal(401, failure.StatusCode);
        Assert.DoesNotContain("wrong", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingIssue_IsPermanent()
    {
        await using var jira = await JiraTestClient.StartAsync();

        var failure = await Assert.ThrowsAsync<JiraApiException>(() => jira.Client.GetIssueAsync("SHOP-99", CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Contains("Issue does not exist", failure.Message, StringComparison.Ordinal);
    }
}
