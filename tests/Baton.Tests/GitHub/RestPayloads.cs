namespace Baton.Tests.GitHub;

/// <summary>
/// GitHub REST answers written by hand for the core tests, in GitHub's shape (snake_case, the fields the client reads
/// plus a few it does not). The recorded answers (octokit/fixtures, GitHub's documented examples) are read only by
/// conformance tests (<see cref="GitHubFixtures"/>, <see cref="GitHubRestConformanceTests"/>).
/// </summary>
public static class RestPayloads
{
    public const string HeadSha = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    public const string MergeCommitSha = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    /// <summary>One issue as <c>GET /repos/{owner}/{repo}/issues/{number}</c> answers it.</summary>
    public const string Issue = """
        {
          "id": 700200001, "node_id": "I_kwTEST01", "number": 1, "title": "Spinner never stops", "state": "open",
          "body": "The widget spins forever after login.",
          "labels": [ { "id": 1, "name": "bug", "color": "d73a4a", "default": true } ],
          "assignees": [ { "id": 1, "login": "octocat", "type": "User" } ], "milestone": null, "locked": false, "comments": 0,
          "user": { "login": "octo-tester", "id": 42, "type": "User" },
          "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-03T10:30:00Z", "closed_at": null,
          "html_url": "https://github.com/o/r/issues/1",
          "url": "https://api.github.com/repos/o/r/issues/1",
          "repository_url": "https://api.github.com/repos/o/r"
        }
        """;

    /// <summary>An issue in <c>owner/repo</c> with a milestone, for list and dependency answers.</summary>
    public static string IssueIn(string repository, int number, long id, string title = "Found a bug") => $$"""
        {
          "id": {{id}}, "number": {{number}}, "title": "{{title}}", "state": "open", "body": null,
          "labels": [ { "id": 1, "name": "bug", "color": "d73a4a" } ], "assignees": [],
          "milestone": { "id": 1002604, "number": 1, "title": "v1.0", "state": "open", "open_issues": 4, "closed_issues": 8 },
          "created_at": "2026-10-01T08:00:00Z", "updated_at": "2026-10-02T08:00:00Z",
          "html_url": "https://github.com/{{repository}}/issues/{{number}}",
          "repository_url": "https://api.github.com/repos/{{repository}}"
        }
        """;

    public const string Milestone = """
        {
          "id": 1002604, "number": 1, "title": "v1.0", "state": "open", "description": "First release",
          "open_issues": 4, "closed_issues": 8, "due_on": "2026-12-01T00:00:00Z", "closed_at": null,
          "html_url": "https://github.com/o/r/milestone/1"
        }
        """;

    public const string ClosedMilestone = """
        { "id": 1002604, "number": 1, "title": "v1.0", "state": "closed", "open_issues": 0, "closed_issues": 12, "closed_at": "2026-11-20T12:00:00Z" }
        """;

    /// <summary>A pull request from <c>new-topic</c> into <c>main</c>, open and not merged.</summary>
    public static string PullRequest(bool merged = false) => $$"""
        {
          "id": 1, "number": 1347, "state": "open", "title": "Amazing new feature", "draft": false,
          "html_url": "https://github.com/octocat/Hello-World/pull/1347",
          "head": { "label": "octocat:new-topic", "ref": "new-topic", "sha": "{{HeadSha}}" },
          "base": { "label": "octocat:main", "ref": "main", "sha": "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c" },
          "merged": {{(merged ? "true" : "false")}}, "mergeable": true,
          "merge_commit_sha": "{{MergeCommitSha}}"
        }
        """;

    public const string PullRequestFiles = """
        [
          {
            "sha": "bbcd538c8e72b8c175046e27cc8f907076331401", "filename": "file1.txt", "status": "added",
            "additions": 103, "deletions": 21, "changes": 124,
            "patch": "@@ -132,7 +132,7 @@ module Test @@ -1000,7 +1000,7 @@ module Test"
          }
        ]
        """;

    /// <summary>One approved review of <see cref="ReviewCommit"/> by octocat.</summary>
    public const string ReviewCommit = "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091";

    public const string Reviews = """
        [
          {
            "id": 80, "user": { "id": 1, "login": "octocat", "type": "User" }, "body": "Here is the body for the review.",
            "state": "APPROVED", "commit_id": "ecdd80bb57125d7ba9641ffaa4d7d2c19d3f3091",
            "submitted_at": "2019-11-17T17:43:43Z", "html_url": "https://github.com/octocat/Hello-World/pull/12#pullrequestreview-80"
          }
        ]
        """;

    public const string MergedAnswer = """{ "sha": "6dcb09b5b57875f334f61aebed695e2e4193db5e", "merged": true, "message": "Pull Request successfully merged" }""";

    public const string HeadModifiedAnswer = """{ "message": "Head branch was modified. Review and try the merge again." }""";

    public const string NotMergeableAnswer = """{ "message": "Pull Request is not mergeable" }""";

    public const string CheckRuns = """
        {
          "total_count": 1,
          "check_runs": [
            {
              "id": 4, "name": "mighty_readme", "head_sha": "ce587453ced02b1526dfb4cb910479d431683101",
              "status": "completed", "conclusion": "neutral",
              "started_at": "2026-11-14T18:00:00Z", "completed_at": "2026-11-14T18:05:00Z",
              "output": { "title": "Mighty Readme report", "summary": "There are 0 failures, 2 warnings, and 1 notice.", "text": "You may have some misspelled words.", "annotations_count": 2 },
              "details_url": "https://example.com", "html_url": "https://github.com/o/r/runs/4"
            }
          ]
        }
        """;

    public const string CheckSuites = """
        {
          "total_count": 1,
          "check_suites": [
            {
              "id": 5, "head_branch": "master", "head_sha": "d6fde92930d4715a2b49857d24b940956b26d2d3",
              "status": "completed", "conclusion": "neutral", "latest_check_runs_count": 1,
              "app": { "id": 1, "slug": "octoapp", "name": "Octocat App" }
            }
          ]
        }
        """;

    public const string Comment = """
        {
          "id": 1, "body": "Me too", "user": { "id": 1, "login": "octocat", "type": "User" },
          "created_at": "2026-11-01T10:00:00Z", "updated_at": "2026-11-01T10:00:00Z",
          "html_url": "https://github.com/o/r/issues/1#issuecomment-1"
        }
        """;

    public const string RefSha = "aa218f56b14c9653891f9e74264a383fa43fefbd";

    public const string GitRef = """
        { "ref": "refs/heads/featureA", "url": "https://api.github.com/repos/o/r/git/refs/heads/featureA", "object": { "type": "commit", "sha": "aa218f56b14c9653891f9e74264a383fa43fefbd" } }
        """;

    /// <summary>The labels an issue carries, as <c>GET /repos/{owner}/{repo}/issues/{number}/labels</c> answers.</summary>
    public const string IssueLabels = """
        [ { "id": 208045946, "name": "bug", "color": "f29513", "default": true }, { "id": 208045947, "name": "bar", "color": "ededed", "default": false } ]
        """;

    public const string ValidationFailed = """
        { "message": "Validation Failed", "errors": [ { "resource": "IssueComment", "code": "missing_field", "field": "body" } ], "documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment" }
        """;
}
