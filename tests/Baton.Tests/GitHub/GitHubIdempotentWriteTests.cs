using Baton.Failures;
using System.Text.Json;
using System.Text.Json.Nodes;
using Baton.Activities.GitHub;


namespace Baton.Tests.GitHub;

/// <summary>Writes are safe to repeat (activities run at least once): check-then-act, or a hidden marker in comments.</summary>
public sealed class GitHubIdempotentWriteTests : FakeGitHubTest
{
    [Fact]
    public async Task EnsureLabel_RunTwice_AddsTheLabelOnce()
    {
        var labels = JsonNode.Parse(RestPayloads.IssueLabels)!.AsArray();
        server.Handle("GET", "/repos/o/r/issues/1/labels", _ => FakeResponse.Json(200, labels.ToJsonString()));
        server.Handle("POST", "/repos/o/r/issues/1/labels", request =>
        {
            foreach (var name in JsonNode.Parse(request.Body)!["labels"]!.AsArray())
                labels.Add(new JsonObject { ["id"] = 2000 + labels.Count, ["name"] = name!.GetValue<string>(), ["color"] = "ededed" });
            return FakeResponse.Json(200, labels.ToJsonString());
        });

        var first = await github.Client.EnsureLabelAsync("o", "r", 1, "approved");
        var second = await github.Client.EnsureLabelAsync("o", "r", 1, "approved");
        var existing = await github.Client.EnsureLabelAsync("o", "r", 1, "BAR");

        Assert.Equal((true, false, false), (first, second, existing));
        var post = Assert.Single(server.Received, r => r.Method == "POST");
        Assert.Equal("""{"labels":["approved"]}""", post.Body);
    }

    [Fact]
    public async Task CreateCommentOnce_RunTwice_PostsOneCommentCarryingTheMarker()
    {
        var comments = new JsonArray(JsonNode.Parse(RestPayloads.Comment));
        server.Handle("GET", "/repos/o/r/issues/1/comments", _ => FakeResponse.Json(200, comments.ToJsonString()));
        server.Handle("POST", "/repos/o/r/issues/1/comments", request =>
        {
            var comment = JsonNode.Parse(RestPayloads.Comment)!.AsObject();
            comment["id"] = 99;
            comment["body"] = JsonNode.Parse(request.Body)!["body"]!.GetValue<string>();
            comments.Add(comment);
            return FakeResponse.Json(201, comment.ToJsonString());
        });

        var first = await github.Client.CreateCommentOnceAsync("o", "r", 1, "claim:o/r#1", "Claimed by Baton.");
        var second = await github.Client.CreateCommentOnceAsync("o", "r", 1, "claim:o/r#1", "Claimed by Baton.");

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(99, second.Comment.Id);
        Assert.Equal("Claimed by Baton.\n\n<!-- baton:claim:o/r#1 -->", first.Comment.Body);
        Assert.Single(server.Received, r => r.Method == "POST");
    }

    [Fact]
    public async Task RemoveLabel_NotOnTheIssue_ReturnsFalse()
    {
        server.Serve("DELETE", "/repos/o/r/issues/1/labels/in-progress", FakeResponse.Json(404, """{"message":"Label does not exist","documentation_url":"https://docs.github.com/rest/issues/labels#remove-a-label-from-an-issue"}"""));
        server.Serve("DELETE", "/repos/o/r/issues/1/labels/approved", FakeResponse.Json(200, "[]"));

        Assert.False(await github.Client.RemoveLabelAsync("o", "r", 1, "in-progress"));
        Assert.True(await github.Client.RemoveLabelAsync("o", "r", 1, "approved"));
    }

    [Fact]
    public async Task CreateRef_AlreadyThereAtTheSameCommit_ReturnsTheExistingRef()
    {
        var existing = RestPayloads.GitRef;
        var sha = JsonNode.Parse(existing)!["object"]!["sha"]!.GetValue<string>();
        server.Serve("POST", "/repos/o/r/git/refs", FakeResponse.Json(422, """{"message":"Reference already exists","documentation_url":"https://docs.github.com/rest/git/refs#create-a-reference"}"""));
        server.Serve("GET", "/repos/o/r/git/ref/heads/featureA", FakeResponse.Json(200, existing));

        var created = await github.Client.CreateRefAsync("o", "r", "refs/heads/featureA", sha);
        var conflict = await Assert.ThrowsAsync<GitHubApiException>(() => github.Client.CreateRefAsync("o", "r", "refs/heads/featureA", new string('1', 40)));

        Assert.Equal(("refs/heads/featureA", sha), (created.Ref, created.Object.Sha));
        Assert.Equal((FailureClass.Permanent, 422), (conflict.FailureClass, conflict.StatusCode));
        Assert.Equal("""{"ref":"refs/heads/featureA","sha":"aa218f56b14c9653891f9e74264a383fa43fefbd"}""", server.Received.First(r => r.Method == "POST").Body);
    }

    [Fact]
    public async Task MergePullRequest_NotYetMerged_MergesWithTheGivenMethodAndSha()
    {
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, RestPayloads.PullRequest()));
        server.Serve("PUT", "/repos/o/r/pulls/1347/merge", FakeResponse.Json(200, RestPayloads.MergedAnswer));

        var result = await github.Client.MergePullRequestAsync("o", "r", 1347, new PullRequestMerge("squash", Sha: "6dcb09b5b57875f334f61aebed695e2e4193db5e"));

        Assert.True(result.Merged);
        Assert.Equal("""{"merge_method":"squash","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e"}""", Assert.Single(server.Received, r => r.Method == "PUT").Body);
    }

    [Fact]
    public async Task MergePullRequest_AlreadyMerged_DoesNotMergeAgain()
    {
        var merged = JsonNode.Parse(RestPayloads.PullRequest())!.AsObject();
        merged["merged"] = true;
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, merged.ToJsonString()));

        var result = await github.Client.MergePullRequestAsync("o", "r", 1347, new PullRequestMerge());

        Assert.True(result.Merged);
        Assert.Equal(merged["merge_commit_sha"]!.GetValue<string>(), result.Sha);
        Assert.DoesNotContain(server.Received, r => r.Method == "PUT");
    }

    [Fact]
    public async Task CreatePullRequest_OpenOneFromTheBranchExists_ReturnsItWithoutCreating()
    {
        var pull = RestPayloads.PullRequest();
        server.Serve("GET", "/repos/o/r/pulls?state=open&head=o:baton/issue-1&base=main", FakeResponse.Json(200, "[]"), FakeResponse.Json(200, $"[{pull}]"));
        server.Serve("POST", "/repos/o/r/pulls", FakeResponse.Json(201, pull));
        var request = new NewPullRequest("Fix #1", "baton/issue-1", "main", "Closes #1");

        var created = await github.Client.CreatePullRequestAsync("o", "r", request);
        var again = await github.Client.CreatePullRequestAsync("o", "r", request);

        Assert.Equal(created.Number, again.Number);
        var post = Assert.Single(server.Received, r => r.Method == "POST");
        Assert.Equal("""{"title":"Fix #1","head":"baton/issue-1","base":"main","body":"Closes #1","draft":false}""", post.Body);
    }

    [Fact]
    public async Task UpdateMilestoneAndAddAssignees_SendOnlyWhatChanges()
    {
        server.Serve("PATCH", "/repos/o/r/milestones/1", FakeResponse.Json(200, RestPayloads.ClosedMilestone));
        server.Serve("POST", "/repos/o/r/issues/1/assignees", FakeResponse.Json(201, RestPayloads.Issue));

        await github.Client.UpdateMilestoneAsync("o", "r", 1, new MilestoneUpdate(State: "closed"));
        var issue = await github.Client.AddAssigneesAsync("o", "r", 1, ["octocat"]);

        Assert.Equal(["""{"state":"closed"}""", """{"assignees":["octocat"]}"""], server.Received.Select(r => r.Body));
        Assert.Contains(issue.Assignees, a => a.Login == "octocat");
    }
}
