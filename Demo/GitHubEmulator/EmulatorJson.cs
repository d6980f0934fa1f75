using System.Globalization;
using System.Text.Json.Nodes;

namespace Baton.Demo.GitHubEmulator;

/// <summary>
/// GitHub's JSON shapes for the emulator's state, trimmed to the fields recorded responses and webhook payloads carry
/// that a client plausibly reads. URLs point at the emulator (<paramref name="apiRoot"/>, no trailing slash).
/// </summary>
sealed class EmulatorJson(string apiRoot)
{
    public string ApiRoot { get; } = apiRoot;

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    static JsonNode? Time(DateTimeOffset? time) => time is { } t ? Time(t) : null;

    string RepoUrl(EmulatedRepository repository) => $"{ApiRoot}/repos/{repository.FullName}";

    string HtmlUrl(EmulatedRepository repository) => $"{ApiRoot}/{repository.FullName}";

    public static long UserId(string login) => 1000 + (uint)StringComparer.Ordinal.GetHashCode(login) % 1_000_000;

    public JsonObject User(string login) => new()
    {
        ["login"] = login,
        ["id"] = UserId(login),
        ["type"] = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User",
        ["url"] = $"{ApiRoot}/users/{login}",
        ["site_admin"] = false,
    };

    public JsonObject Repository(EmulatedRepository repository) => new()
    {
        ["id"] = repository.Id,
        ["name"] = repository.Name,
        ["full_name"] = repository.FullName,
        ["private"] = false,
        ["owner"] = User(repository.Owner),
        ["html_url"] = HtmlUrl(repository),
        ["url"] = RepoUrl(repository),
        ["default_branch"] = repository.DefaultBranch,
        ["clone_url"] = repository.GitPath ?? $"{HtmlUrl(repository)}.git",
    };

    public JsonObject Label(EmulatedLabel label, EmulatedRepository repository) => new()
    {
        ["id"] = label.Id,
        ["name"] = label.Name,
        ["color"] = label.Color,
        ["default"] = false,
        ["url"] = $"{RepoUrl(repository)}/labels/{Uri.EscapeDataString(label.Name)}",
    };

    public JsonObject Milestone(EmulatedMilestone milestone) => new()
    {
        ["id"] = milestone.Id,
        ["number"] = milestone.Number,
        ["title"] = milestone.Title,
        ["description"] = milestone.Description,
        ["state"] = milestone.State,
        ["open_issues"] = milestone.OpenIssues,
        ["closed_issues"] = milestone.ClosedIssues,
        ["creator"] = User(milestone.Creator),
        ["created_at"] = Time(milestone.CreatedAt),
        ["updated_at"] = Time(milestone.UpdatedAt),
        ["due_on"] = Time(milestone.DueOn),
        ["closed_at"] = Time(milestone.ClosedAt),
        ["url"] = $"{RepoUrl(milestone.Repository)}/milestones/{milestone.Number}",
        ["html_url"] = $"{HtmlUrl(milestone.Repository)}/milestone/{milestone.Number}",
    };

    public JsonObject Issue(EmulatedIssue issue)
    {
        var url = $"{RepoUrl(issue.Repository)}/issues/{issue.Number}";
        var json = new JsonObject
        {
            ["id"] = issue.Id,
            ["url"] = url,
            ["repository_url"] = RepoUrl(issue.Repository),
            ["labels_url"] = url + "/labels{/name}",
            ["comments_url"] = url + "/comments",
            ["events_url"] = url + "/events",
            ["html_url"] = $"{HtmlUrl(issue.Repository)}/{(issue.PullRequest is null ? "issues" : "pull")}/{issue.Number}",
            ["number"] = issue.Number,
            ["title"] = issue.Title,
            ["user"] = User(issue.Author),
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)Label(l, issue.Repository))]),
            ["state"] = issue.State,
            ["state_reason"] = issue.StateReason,
            ["locked"] = false,
            ["assignee"] = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
            ["assignees"] = new JsonArray([.. issue.Assignees.Select(a => (JsonNode)User(a))]),
            ["milestone"] = issue.Milestone is { } m ? Milestone(m) : null,
            ["comments"] = issue.Comments.Count,
            ["created_at"] = Time(issue.CreatedAt),
            ["updated_at"] = Time(issue.UpdatedAt),
            ["closed_at"] = Time(issue.ClosedAt),
            ["author_association"] = "OWNER",
            ["body"] = issue.Body,
        };
        if (issue.PullRequest is { } pull)
            json["pull_request"] = new JsonObject
            {
                ["url"] = $"{RepoUrl(issue.Repository)}/pulls/{issue.Number}",
                ["html_url"] = $"{HtmlUrl(issue.Repository)}/pull/{issue.Number}",
                ["merged_at"] = Time(pull.MergedAt),
            };
        return json;
    }

    public JsonObject Comment(EmulatedComment comment, EmulatedIssue issue) => new()
    {
        ["id"] = comment.Id,
        ["url"] = $"{RepoUrl(issue.Repository)}/issues/comments/{comment.Id}",
        ["html_url"] = $"{HtmlUrl(issue.Repository)}/issues/{issue.Number}#issuecomment-{comment.Id}",
        ["issue_url"] = $"{RepoUrl(issue.Repository)}/issues/{issue.Number}",
        ["user"] = User(comment.Author),
        ["created_at"] = Time(comment.CreatedAt),
        ["updated_at"] = Time(comment.CreatedAt),
        ["author_association"] = "OWNER",
        ["body"] = comment.Body,
    };

    public JsonObject IssueEvent(EmulatedIssueEvent issueEvent, EmulatedIssue issue)
    {
        var json = new JsonObject
        {
            ["id"] = issueEvent.Id,
            ["url"] = $"{RepoUrl(issue.Repository)}/issues/events/{issueEvent.Id}",
            ["actor"] = User(issueEvent.Actor),
            ["event"] = issueEvent.Event,
            ["commit_id"] = null,
            ["created_at"] = Time(issueEvent.CreatedAt),
        };
        if (issueEvent.Label is { } label) json["label"] = new JsonObject { ["name"] = label.Name, ["color"] = label.Color };
        if (issueEvent.Assignee is { } assignee) json["assignee"] = User(assignee);
        if (issueEvent.Milestone is { } milestone) json["milestone"] = new JsonObject { ["title"] = milestone };
        return json;
    }

    JsonObject Branch(EmulatedRepository repository, string branch, string sha) => new()
    {
        ["label"] = $"{repository.Owner}:{branch}",
        ["ref"] = branch,
        ["sha"] = sha,
        ["user"] = User(repository.Owner),
        ["repo"] = Repository(repository),
    };

    public JsonObject PullRequest(EmulatedPullRequest pull)
    {
        var issue = pull.Issue;
        var url = $"{RepoUrl(issue.Repository)}/pulls/{issue.Number}";
        return new JsonObject
        {
            ["url"] = url,
            ["id"] = pull.Id,
            ["html_url"] = $"{HtmlUrl(issue.Repository)}/pull/{issue.Number}",
            ["issue_url"] = $"{RepoUrl(issue.Repository)}/issues/{issue.Number}",
            ["number"] = issue.Number,
            ["state"] = issue.State,
            ["locked"] = false,
            ["title"] = issue.Title,
            ["user"] = User(issue.Author),
            ["body"] = issue.Body,
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)Label(l, issue.Repository))]),
            ["milestone"] = issue.Milestone is { } m ? Milestone(m) : null,
            ["created_at"] = Time(issue.CreatedAt),
            ["updated_at"] = Time(issue.UpdatedAt),
            ["closed_at"] = Time(issue.ClosedAt),
            ["merged_at"] = Time(pull.MergedAt),
            ["merge_commit_sha"] = pull.MergeCommitSha,
            ["assignees"] = new JsonArray([.. issue.Assignees.Select(a => (JsonNode)User(a))]),
            ["draft"] = pull.Draft,
            ["head"] = Branch(issue.Repository, pull.Head, pull.HeadSha),
            ["base"] = Branch(issue.Repository, pull.Base, pull.BaseSha),
            ["merged"] = pull.Merged,
            ["mergeable"] = !pull.Merged && issue.IsOpen && pull.Mergeable,
            ["merged_by"] = pull.MergedBy is { } by ? User(by) : null,
            ["commits"] = 1,
            ["changed_files"] = pull.Files.Count,
            ["additions"] = pull.Files.Sum(f => f.Additions),
            ["deletions"] = pull.Files.Sum(f => f.Deletions),
        };
    }

    public static JsonObject PullRequestFile(EmulatedFile file, string sha) => new()
    {
        ["sha"] = sha,
        ["filename"] = file.Filename,
        ["status"] = file.Status,
        ["additions"] = file.Additions,
        ["deletions"] = file.Deletions,
        ["changes"] = file.Additions + file.Deletions,
        ["patch"] = file.Patch,
    };

    /// <summary>A review; REST spells <c>state</c> in upper case (<c>APPROVED</c>), webhooks in lower case (<c>approved</c>).</summary>
    public JsonObject Review(EmulatedReview review, EmulatedPullRequest pull, bool webhook = false) => new()
    {
        ["id"] = review.Id,
        ["user"] = User(review.Reviewer),
        ["body"] = review.Body ?? (webhook ? null : ""),
        ["state"] = webhook ? review.State.ToLowerInvariant() : review.State,
        ["html_url"] = $"{HtmlUrl(pull.Issue.Repository)}/pull/{pull.Issue.Number}#pullrequestreview-{review.Id}",
        ["pull_request_url"] = $"{RepoUrl(pull.Issue.Repository)}/pulls/{pull.Issue.Number}",
        ["submitted_at"] = review.State == "PENDING" ? null : Time(review.SubmittedAt),
        ["commit_id"] = review.CommitId,
        ["author_association"] = "COLLABORATOR",
    };

    /// <summary>A pull request as check payloads list it.</summary>
    public JsonObject PullRequestRef(EmulatedPullRequest pull) => new()
    {
        ["url"] = $"{RepoUrl(pull.Issue.Repository)}/pulls/{pull.Issue.Number}",
        ["id"] = pull.Id,
        ["number"] = pull.Issue.Number,
        ["head"] = new JsonObject { ["ref"] = pull.Head, ["sha"] = pull.HeadSha },
        ["base"] = new JsonObject { ["ref"] = pull.Base, ["sha"] = pull.BaseSha },
    };

    public JsonObject CheckSuite(EmulatedRepository repository, long suiteId, string headSha, string? branch, string status, string? conclusion,
        IEnumerable<EmulatedPullRequest> pulls) => new()
    {
        ["id"] = suiteId,
        ["head_branch"] = branch,
        ["head_sha"] = headSha,
        ["status"] = status,
        ["conclusion"] = conclusion,
        ["url"] = $"{RepoUrl(repository)}/check-suites/{suiteId}",
        ["pull_requests"] = new JsonArray([.. pulls.Select(p => (JsonNode)PullRequestRef(p))]),
    };

    public JsonObject CheckRun(EmulatedCheckRun run, EmulatedRepository repository, IEnumerable<EmulatedPullRequest> pulls)
    {
        var pullList = pulls.ToList();
        return new JsonObject
        {
            ["id"] = run.Id,
            ["name"] = run.Name,
            ["head_sha"] = run.HeadSha,
            ["external_id"] = "",
            ["url"] = $"{RepoUrl(repository)}/check-runs/{run.Id}",
            ["html_url"] = $"{HtmlUrl(repository)}/runs/{run.Id}",
            ["status"] = run.Status,
            ["conclusion"] = run.Conclusion,
            ["started_at"] = Time(run.StartedAt),
            ["completed_at"] = Time(run.CompletedAt),
            ["output"] = new JsonObject
            {
                ["title"] = run.Title,
                ["summary"] = run.Summary,
                ["text"] = null,
                ["annotations_count"] = 0,
                ["annotations_url"] = $"{RepoUrl(repository)}/check-runs/{run.Id}/annotations",
            },
            ["check_suite"] = new JsonObject { ["id"] = run.SuiteId },
            ["pull_requests"] = new JsonArray([.. pullList.Select(p => (JsonNode)PullRequestRef(p))]),
        };
    }

    public static JsonObject GitRef(string fullRef, string sha, string apiRoot, EmulatedRepository repository) => new()
    {
        ["ref"] = fullRef,
        ["url"] = $"{apiRoot}/repos/{repository.FullName}/git/{fullRef}",
        ["object"] = new JsonObject
        {
            ["sha"] = sha,
            ["type"] = "commit",
            ["url"] = $"{apiRoot}/repos/{repository.FullName}/git/commits/{sha}",
        },
    };

    public JsonObject WorkflowRun(EmulatedRepository repository, EmulatedCheckRun run, string branch, int runNumber,
        IEnumerable<EmulatedPullRequest> pulls, DateTimeOffset now) => new()
    {
        ["id"] = run.Id,
        ["name"] = run.Name,
        ["head_branch"] = branch,
        ["head_sha"] = run.HeadSha,
        ["path"] = $".github/workflows/{run.Name}.yml",
        ["display_title"] = run.Title ?? run.Name,
        ["run_number"] = runNumber,
        ["run_attempt"] = 1,
        ["event"] = "push",
        ["status"] = "completed",
        ["conclusion"] = run.Conclusion,
        ["workflow_id"] = 1,
        ["check_suite_id"] = run.SuiteId,
        ["url"] = $"{RepoUrl(repository)}/actions/runs/{run.Id}",
        ["html_url"] = $"{HtmlUrl(repository)}/actions/runs/{run.Id}",
        ["pull_requests"] = new JsonArray([.. pulls.Select(p => (JsonNode)PullRequestRef(p))]),
        ["created_at"] = Time(run.StartedAt),
        ["updated_at"] = Time(now),
        ["run_started_at"] = Time(run.StartedAt),
    };

    /// <summary><c>GET /repos/{o}/{r}/branches/{branch}</c>.</summary>
    public JsonObject BranchInfo(EmulatedRepository repository, string branch, string sha) => new()
    {
        ["name"] = branch,
        ["commit"] = new JsonObject { ["sha"] = sha, ["url"] = $"{RepoUrl(repository)}/commits/{sha}" },
        ["protected"] = false,
        ["_links"] = new JsonObject
        {
            ["self"] = $"{RepoUrl(repository)}/branches/{Uri.EscapeDataString(branch)}",
            ["html"] = $"{HtmlUrl(repository)}/tree/{branch}",
        },
    };

    /// <summary>A file as <c>GET /repos/{o}/{r}/contents/{path}</c> returns it: base64 in lines of 60 characters, as GitHub does.</summary>
    public JsonObject Contents(EmulatedRepository repository, string path, string gitRef, string blobSha, byte[] content)
    {
        var base64 = Convert.ToBase64String(content);
        var lines = Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - i * 60)) + "\n");
        var self = $"{RepoUrl(repository)}/contents/{path}?ref={Uri.EscapeDataString(gitRef)}";
        var git = $"{RepoUrl(repository)}/git/blobs/{blobSha}";
        var html = $"{HtmlUrl(repository)}/blob/{gitRef}/{path}";
        return new JsonObject
        {
            ["type"] = "file",
            ["encoding"] = "base64",
            ["size"] = content.Length,
            ["name"] = path[(path.LastIndexOf('/') + 1)..],
            ["path"] = path,
            ["content"] = string.Concat(lines),
            ["sha"] = blobSha,
            ["url"] = self,
            ["git_url"] = git,
            ["html_url"] = html,
            ["download_url"] = $"{ApiRoot}/raw/{repository.FullName}/{gitRef}/{path}",
            ["_links"] = new JsonObject { ["self"] = self, ["git"] = git, ["html"] = html },
        };
    }

    /// <summary>A <c>push</c> payload (no <c>action</c>): the ref, before/after, and up to 20 of the pushed commits.</summary>
    public void Push(JsonObject payload, EmulatedRepository repository, string fullRef, string before, string after, IReadOnlyList<EmulatedCommit> commits, string pusher)
    {
        var zero = new string('0', 40);
        var commitJson = commits.Select(c => (JsonNode)new JsonObject
        {
            ["id"] = c.Sha,
            ["tree_id"] = c.Tree,
            ["distinct"] = true,
            ["message"] = c.Message,
            ["timestamp"] = c.Timestamp,
            ["url"] = $"{HtmlUrl(repository)}/commit/{c.Sha}",
            ["author"] = new JsonObject { ["name"] = c.AuthorName, ["email"] = c.AuthorEmail },
            ["committer"] = new JsonObject { ["name"] = c.CommitterName, ["email"] = c.CommitterEmail },
            ["added"] = new JsonArray([.. c.Added.Select(f => (JsonNode)f)]),
            ["removed"] = new JsonArray([.. c.Removed.Select(f => (JsonNode)f)]),
            ["modified"] = new JsonArray([.. c.Modified.Select(f => (JsonNode)f)]),
        }).ToList();
        payload["ref"] = fullRef;
        payload["before"] = before;
        payload["after"] = after;
        payload["created"] = before == zero;
        payload["deleted"] = after == zero;
        payload["forced"] = false;
        payload["base_ref"] = null;
        payload["compare"] = $"{HtmlUrl(repository)}/compare/{before[..12]}...{after[..12]}";
        payload["commits"] = new JsonArray([.. commitJson]);
        payload["head_commit"] = commitJson.Count > 0 ? commitJson[^1].DeepClone() : null;
        payload["pusher"] = new JsonObject { ["name"] = pusher, ["email"] = $"{UserId(pusher)}+{pusher}@users.noreply.github.com" };
    }
}
