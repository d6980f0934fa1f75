using System.Text;

namespace Baton.Tests.Webhooks;

/// <summary>
/// Webhook bodies written by hand for the core tests, in GitHub's shape (snake_case, the fields Baton reads plus a
/// few it does not), so the suite needs nothing outside the repository. That they match what GitHub really sends is
/// the conformance tests' job (<see cref="GitHubPayloadTests"/>, the <c>Recorded…</c> ones).
/// </summary>
public static class WebhookPayloads
{
    /// <summary>Text only the issue body holds: the logs must never contain it.</summary>
    public const string IssueBodyMarker = "the widget spins forever after login";

    public static byte[] IssueLabeled => Utf8($$"""
        {
          "action": "labeled",
          "issue": {
            "id": 700100001, "number": 1, "title": "Spinner never stops", "state": "open",
            "body": "{{IssueBodyMarker}}", "repository_url": "https://api.github.com/repos/baton-test/widget",
            "labels": [ { "id": 1, "name": "bug", "color": "d73a4a" } ], "assignees": [], "milestone": null
          },
          "label": { "id": 1, "name": "bug", "color": "d73a4a" },
          "repository": { "id": 500, "name": "widget", "full_name": "baton-test/widget", "private": false },
          "sender": { "id": 42, "login": "octo-tester", "type": "User" }
        }
        """);

    public static byte[] IssueOpened => Utf8("""
        {
          "action": "opened",
          "issue": { "id": 700100002, "number": 2, "title": "Add dark mode", "state": "open", "body": null, "labels": [], "assignees": [] },
          "repository": { "id": 500, "name": "widget", "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] IssueClosed(string repository, int number, string closedBy) => Utf8($$"""
        {
          "action": "closed",
          "issue": { "id": 700100003, "number": {{number}}, "title": "Done", "state": "closed", "state_reason": "completed", "labels": [], "assignees": [] },
          "repository": { "id": 501, "full_name": "{{repository}}" },
          "sender": { "id": 43, "login": "{{closedBy}}" }
        }
        """);

    public static byte[] IssueLocked => Utf8("""
        {
          "action": "locked",
          "issue": { "id": 700100004, "number": 4, "state": "open", "locked": true, "active_lock_reason": "resolved" },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] Push => Utf8("""
        {
          "ref": "refs/heads/main", "before": "0000000000000000000000000000000000000000",
          "after": "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c", "commits": [],
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] LabelCreated => Utf8("""
        {
          "action": "created",
          "label": { "id": 9, "name": "needs-triage", "color": "ededed" },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] Ping => Utf8("""
        {
          "zen": "Keep it logically awesome.", "hook_id": 123456,
          "hook": { "type": "Repository", "id": 123456, "events": ["issues", "pull_request"], "active": true },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] PullRequestOpenedWithNullBody => Utf8("""
        {
          "action": "opened", "number": 7,
          "pull_request": {
            "id": 900007, "number": 7, "state": "open", "title": "Stop the spinner", "body": null,
            "head": { "ref": "baton/1-stop-the-spinner", "sha": "aa11bb22cc33dd44ee55ff6677889900aabbccdd" },
            "base": { "ref": "main", "sha": "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c" }
          },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] CheckSuiteCompleted => Utf8("""
        {
          "action": "completed",
          "check_suite": {
            "id": 31, "head_branch": "baton/1-stop-the-spinner", "head_sha": "aa11bb22cc33dd44ee55ff6677889900aabbccdd",
            "status": "completed", "conclusion": "success",
            "pull_requests": [ { "id": 900007, "number": 7, "head": { "ref": "baton/1-stop-the-spinner", "sha": "aa11bb22cc33dd44ee55ff6677889900aabbccdd" }, "base": { "ref": "main", "sha": "1f2e3d4c5b6a79881f2e3d4c5b6a79881f2e3d4c" } } ]
          },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] BlockedByAdded => Utf8("""
        {
          "action": "blocked_by_added",
          "blocked_issue_id": 700100011, "blocking_issue_id": 700100012,
          "blocked_issue": { "id": 700100011, "number": 11, "title": "Ship the widget", "state": "open", "labels": [], "assignees": [] },
          "blocking_issue": { "id": 700100012, "number": 12, "title": "Fix the build", "state": "open", "labels": [], "assignees": [],
                              "repository_url": "https://api.github.com/repos/baton-test/tooling" },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] SubIssueAdded => Utf8("""
        {
          "action": "sub_issue_added",
          "sub_issue_id": 700100021, "parent_issue_id": 700100020,
          "sub_issue": { "id": 700100021, "number": 21, "title": "Part one", "state": "open", "labels": [], "assignees": [] },
          "sub_issue_repo": { "id": 500, "full_name": "baton-test/widget" },
          "parent_issue": { "id": 700100020, "number": 20, "title": "The whole", "state": "open", "labels": [], "assignees": [] },
          "parent_issue_repo": { "id": 500, "full_name": "baton-test/widget" },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] WorkflowRunCompleted => Utf8("""
        {
          "action": "completed",
          "workflow_run": {
            "id": 30433642, "name": "CI", "head_branch": "baton/1-stop-the-spinner", "head_sha": "aa11bb22cc33dd44ee55ff6677889900aabbccdd",
            "status": "completed", "conclusion": "success", "run_attempt": 1,
            "pull_requests": [ { "id": 900007, "number": 7 } ]
          },
          "repository": { "id": 500, "full_name": "baton-test/widget" },
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    public static byte[] InstallationCreated => Utf8("""
        {
          "action": "created",
          "installation": { "id": 4242, "app_id": 77, "account": { "id": 9000, "login": "baton-test", "type": "Organization" } },
          "repositories": [ { "id": 500, "name": "widget", "full_name": "baton-test/widget", "private": false } ],
          "sender": { "id": 42, "login": "octo-tester" }
        }
        """);

    static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
