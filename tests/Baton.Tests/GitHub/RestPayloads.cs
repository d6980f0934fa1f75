namespace Baton.Tests.GitHub;

/// <summary>GitHub REST answers written by hand for the core tests (the recorded ones are read only by conformance
/// tests, see <see cref="GitHubFixtures"/>).</summary>
public static class RestPayloads
{
    /// <summary>One issue as <c>GET /repos/{owner}/{repo}/issues/{number}</c> answers it.</summary>
    public const string Issue = """
        {
          "id": 700200001, "node_id": "I_kwTEST01", "number": 1, "title": "Spinner never stops", "state": "open",
          "body": "The widget spins forever after login.",
          "labels": [ { "id": 1, "name": "bug", "color": "d73a4a", "default": true } ],
          "assignees": [], "milestone": null, "locked": false, "comments": 0,
          "user": { "login": "octo-tester", "id": 42, "type": "User" },
          "created_at": "2026-11-02T09:00:00Z", "updated_at": "2026-11-03T10:30:00Z", "closed_at": null,
          "html_url": "https://github.com/o/r/issues/1",
          "url": "https://api.github.com/repos/o/r/issues/1",
          "repository_url": "https://api.github.com/repos/o/r"
        }
        """;
}
