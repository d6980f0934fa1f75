using Baton.Failures;
using System.Text.Json.Nodes;
using Baton.Activities.GitHub;


namespace Baton.Tests.GitHub;

/// <summary>Pull-request calls the pipeline needs: find a PR by branch, files with patches, reviews, merge outcomes.</summary>
public sealed class GitHubPullRequestCallsTests : FakeGitHubTest
{
    const string Head = "6dcb09b5b57875f334f61aebed695e2e4193db5e";

    [Fact]
    public async Task ListPullRequests_ByHeadBranch_SendsOwnerQualifiedHeadAndState()
    {
        var pull = RestPayloads.PullRequest();
        server.Serve("GET", "/repos/octocat/Hello-World/pulls?state=all&head=octocat:new-topic", FakeResponse.Json(200, $"[{pull}]"));

        var pulls = await github.Client.ListPullRequestsAsync("octocat", "Hello-World", "new-topic", GitHubIssueState.All);

        var found = Assert.Single(pulls);
        Assert.Equal((1347, "new-topic", Head), (found.Number, found.Head.Ref, found.Head.Sha));
        Assert.Equal("/repos/octocat/Hello-World/pulls?state=all&head=octocat%3Anew-topic&per_page=100", Assert.Single(server.Received).PathAndQuery);
    }

    [Fact]
    public async Task ListPullRequestFiles_GivesStatusCountsPatchAndPreviousName()
    {
        var files = JsonNode.Parse(RestPayloads.PullRequestFiles)!.AsArray();
        var renamed = files[0]!.DeepClone().AsObject();
        renamed["filename"] = "src/payments/new.ts";
        renamed["status"] = "renamed";
        renamed["previous_filename"] = "src/payments/old.ts";
        renamed.Remove("patch");
        files.Add(renamed);
        server.Serve("GET", "/repos/o/r/pulls/7/files", FakeResponse.Json(200, files.ToJsonString()));

        var listed = await github.Client.ListPullRequestFilesAsync("o", "r", 7);

        Assert.Equal(("file1.txt", "added", 103, 21), (listed[0].Filename, listed[0].Status, listed[0].Additions, listed[0].Deletions));
        Assert.StartsWith("@@ -132,7 +132,7 @@", listed[0].Patch, StringComparison.Ordinal);
        Assert.Equal(("renamed", "src/payments/old.ts", null), (listed[1].Status, listed[1].PreviousFilename, listed[1].Patch));
    }

    [Fact]
    public async Task ListReviews_Answer_GivesCommitStateAndLogin()
    {
        server.Serve("GET", "/repos/o/r/pulls/12/reviews", FakeResponse.Json(200, RestPayloads.Reviews));

        var review = Assert.Single(await github.Client.ListReviewsAsync("o", "r", 12));

        Assert.Equal((80L, "APPROVED", "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091", "octocat"), (review.Id, review.State, review.CommitId, review.User?.Login));
        Assert.Equal(new DateTimeOffset(2019, 11, 17, 17, 43, 43, TimeSpan.Zero), review.SubmittedAt);
    }

    [Fact]
    public async Task CreateReview_RunTwiceOnTheSameCommit_SubmitsOnceAndAgainOnANewHead()
    {
        var reviews = new JsonArray();
        server.Handle("GET", "/repos/o/r/pulls/12/reviews", _ => FakeResponse.Json(200, reviews.ToJsonString()));
        server.Handle("POST", "/repos/o/r/pulls/12/reviews", request =>
        {
            var sent = JsonNode.Parse(request.Body)!;
            var review = JsonNode.Parse(RestPayloads.Reviews)![0]!.DeepClone().AsObject();
            review["id"] = 100 + reviews.Count;
            review["user"]!["login"] = "baton-bot";
            review["body"] = sent["body"]!.GetValue<string>();
            review["commit_id"] = sent["commit_id"]!.GetValue<string>();
            review["state"] = sent["event"]!.GetValue<string>() == "REQUEST_CHANGES" ? "CHANGES_REQUESTED" : "COMMENTED";
            reviews.Add(review);
            return FakeResponse.Json(200, review.ToJsonString());
        });

        var first = await github.Client.CreateReviewAsync("o", "r", 12, GitHubReviewEvent.RequestChanges, "Missing tests.", Head, "review:o/r#12");
        var again = await github.Client.CreateReviewAsync("o", "r", 12, GitHubReviewEvent.RequestChanges, "Missing tests.", Head, "review:o/r#12");
        var newHead = await github.Client.CreateReviewAsync("o", "r", 12, GitHubReviewEvent.Comment, "Looks good.", new string('e', 40), "review:o/r#12");

        Assert.Equal((true, false, true), (first.Created, again.Created, newHead.Created));
        Assert.Equal(first.Review.Id, again.Review.Id);
        var posts = server.Received.Where(r => r.Method == "POST").Select(r => JsonNode.Parse(r.Body)!).ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal(Head, posts[0]["commit_id"]!.GetValue<string>());
        Assert.Equal("REQUEST_CHANGES", posts[0]["event"]!.GetValue<string>());
        Assert.Equal("Missing tests.\n\n<!-- baton:review:o/r#12 -->", posts[0]["body"]!.GetValue<string>());
        Assert.Equal("COMMENT", posts[1]["event"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateReview_OwnPullRequest_IsPermanent()
    {
        server.Serve("GET", "/repos/o/r/pulls/12/reviews", FakeResponse.Json(200, "[]"));
        server.Serve("POST", "/repos/o/r/pulls/12/reviews", FakeResponse.Json(422,
            """{"message":"Unprocessable Entity","errors":["Can not approve your own pull request"],"documentation_url":"https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request","status":"422"}"""));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() =>
            github.Client.CreateReviewAsync("o", "r", 12, GitHubReviewEvent.Approve, "LGTM", Head, "review"));

        Assert.Equal((FailureClass.Permanent, 422), (failure.FailureClass, failure.StatusCode));
        Assert.Equal(1, server.Count("POST", "/repos/o/r/pulls/12/reviews"));
    }

    [Fact]
    public async Task TryMerge_HeadModified409_IsADistinctResultNotRetried()
    {
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, RestPayloads.PullRequest()));
        server.Serve("PUT", "/repos/o/r/pulls/1347/merge", FakeResponse.Json(409, RestPayloads.HeadModifiedAnswer));

        var attempt = await github.Client.TryMergePullRequestAsync("o", "r", 1347, new PullRequestMerge("squash", Sha: Head));

        Assert.Equal((GitHubMergeStatus.HeadModified, false), (attempt.Status, attempt.IsMerged));
        Assert.Equal("Head branch was modified. Review and try the merge again.", attempt.Message);
        Assert.Equal(1, server.Count("PUT", "/repos/o/r/pulls/1347/merge"));
    }

    [Fact]
    public async Task TryMerge_NotMergeable405_IsADistinctResult()
    {
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, RestPayloads.PullRequest()));
        server.Serve("PUT", "/repos/o/r/pulls/1347/merge", FakeResponse.Json(405, RestPayloads.NotMergeableAnswer));

        var attempt = await github.Client.TryMergePullRequestAsync("o", "r", 1347, new PullRequestMerge(Sha: Head));

        Assert.Equal((GitHubMergeStatus.NotMergeable, "Pull Request is not mergeable"), (attempt.Status, attempt.Message));
    }

    [Fact]
    public async Task TryMerge_Success_GivesTheMergeCommit()
    {
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, RestPayloads.PullRequest()));
        server.Serve("PUT", "/repos/o/r/pulls/1347/merge", FakeResponse.Json(200, RestPayloads.MergedAnswer));

        var attempt = await github.Client.TryMergePullRequestAsync("o", "r", 1347, new PullRequestMerge("rebase", Sha: Head));

        Assert.Equal((GitHubMergeStatus.Merged, Head), (attempt.Status, attempt.Sha));
        Assert.Equal($$"""{"merge_method":"rebase","sha":"{{Head}}"}""", Assert.Single(server.Received, r => r.Method == "PUT").Body);
    }

    [Fact]
    public async Task TryMerge_AlreadyMerged_DoesNotMergeAgain()
    {
        var merged = JsonNode.Parse(RestPayloads.PullRequest())!.AsObject();
        merged["merged"] = true;
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, merged.ToJsonString()));

        var attempt = await github.Client.TryMergePullRequestAsync("o", "r", 1347, new PullRequestMerge(Sha: Head));

        Assert.Equal(GitHubMergeStatus.AlreadyMerged, attempt.Status);
        Assert.DoesNotContain(server.Received, r => r.Method == "PUT");
    }

    [Fact]
    public async Task TryMerge_OtherFailures_StillThrowClassified()
    {
        server.Serve("GET", "/repos/o/r/pulls/1347", FakeResponse.Json(200, RestPayloads.PullRequest()));
        server.Serve("PUT", "/repos/o/r/pulls/1347/merge", FakeResponse.Json(422, """{"message":"Invalid merge method"}"""));

        var failure = await Assert.ThrowsAsync<GitHubApiException>(() =>
            github.Client.TryMergePullRequestAsync("o", "r", 1347, new PullRequestMerge("octopus")));

        Assert.Equal((FailureClass.Permanent, 422), (failure.FailureClass, failure.StatusCode));
    }
}
