using System.Text.Json;
using Baton.Demo;

namespace Baton.Tests.Conductor;

/// <summary>
/// <c>baton demo</c> end to end: the real host over HTTP, the conductor, the embedded runner running a scripted agent
/// as real processes that commit and push to a real bare repository, the git-backed GitHub emulator with scripted CI,
/// the reviewer agent, human gates and merges. Each scenario is checked through the demo's <c>DEMO-SUMMARY</c> line.
/// </summary>
public sealed class DemoTests
{
    [Fact]
    public async Task The_default_demo_works_the_milestone_in_order_with_a_self_heal_a_review_round_and_a_gated_pr()
    {
        // The scripted agent works a second per job (the default), so the bug, triaged two seconds in, arrives while
        // #1 and #2 still hold both slots.
        var (exit, text, summary) = await RunAsync(agentSeconds: "1");

        Assert.True(exit == 0, text);
        Assert.All(summary, issue => Assert.True((issue.State, issue.Merged) == ("merged", true), $"#{issue.Number} {issue.State}:\n{text}"));
        Assert.Equal(2, Issue(summary, 2).AgentAttempts);                    // CI failed once, the agent fixed it
        Assert.Equal(2, Issue(summary, 3).ReviewRounds);                     // the reviewer asked for changes once
        var gated = Issue(summary, 4);
        Assert.True(gated.Gated);                                            // touches db/migrations
        Assert.NotNull(gated.ApprovedSha);
        Assert.Equal(2, gated.AgentAttempts);                                // the agent asked first, then worked with the answer
        // Both decisions were signed Discord interactions: the clicked message now says who decided.
        Assert.Contains("pm answers the agent's question on #4 on Discord (Answer, then Baton's form): \"The product's Postgres: a chat_events table.\"; the message now reads: **Answer** by pm", text);
        Assert.Matches(@"cto presses Approve on Baton's message about pull request #\d+ \(#4, head [0-9a-f]{7}\) on Discord; the message now reads: \*\*Approve\*\* by cto", text);
        Assert.All(summary.Where(i => i.Number != 4), i => Assert.False(i.Gated));
        var order = text.Split('\n').Single(l => l.Contains("Order of work:"));
        int At(string issue) => order.IndexOf(issue + " ", StringComparison.Ordinal) is var i and >= 0 ? i : order.IndexOf(issue + ".", StringComparison.Ordinal);
        Assert.True(At("#1") < At("#5") && At("#2") < At("#5"), order);   // #1 and #2 start first, in parallel
        Assert.True(At("#5") < At("#3"), order);                           // the critical bug takes the first free slot
        Assert.True(At("#3") < At("#4"), order);                           // #4 waits for #3
        Assert.Contains("The conductor closed the milestone \"AI Chat Widget\" (5 issues)", text);
    }

    [Fact]
    public async Task Ci_that_stays_red_past_the_self_heal_cap_escalates_and_its_dependent_never_starts()
    {
        var (exit, text, summary) = await RunScenarioAsync("""
            { "repository": "acme/red", "capacity": 1, "issues": [
                { "number": 1, "title": "Flaky thing", "labels": ["approved"], "ci": ["fail"] },
                { "number": 2, "title": "Builds on it", "labels": ["approved"], "blockedBy": [1] } ] }
            """, "--Pipeline:MaxSelfHeal=2");

        Assert.True(exit == 0, text);
        Assert.Equal(("needs-human", false, 3), (Issue(summary, 1).State, Issue(summary, 1).Merged, Issue(summary, 1).AgentAttempts));
        Assert.Equal(("open", 0), (Issue(summary, 2).State, Issue(summary, 2).AgentAttempts));
    }

    [Fact]
    public async Task A_gated_pr_without_an_approval_on_its_current_head_is_not_merged()
    {
        // The approval lands on the first head; the reviewer then asks for changes, so the agent pushes a new head
        // and the old approval no longer counts.
        var (exit, text, summary) = await RunScenarioAsync("""
            { "repository": "acme/gates", "capacity": 1,
              "issues": [ { "number": 1, "title": "Charge cards", "labels": ["approved"],
                            "changes": ["src/payments/charge.ts"], "review": ["changes_requested", "approve"] } ],
              "approvals": [ { "issue": 1, "by": "alice", "afterSeconds": 0 } ] }
            """);

        Assert.True(exit == 0, text);
        var issue = Issue(summary, 1);
        Assert.Equal(("needs-human", false, true, 2), (issue.State, issue.Merged, issue.Gated, issue.AgentAttempts));
        Assert.Null(issue.ApprovedSha);
        Assert.Contains("approves pull request", text);
    }

    [Fact]
    public async Task A_spent_budget_of_agent_runs_stops_at_needs_human()
    {
        var (exit, text, summary) = await RunScenarioAsync("""
            { "repository": "acme/budget", "capacity": 1, "issues": [
                { "number": 1, "title": "Never green", "labels": ["approved"], "ci": ["fail"] } ] }
            """, "--Pipeline:MaxAgentRuns=2");

        Assert.True(exit == 0, text);
        Assert.Equal(("needs-human", 2), (Issue(summary, 1).State, Issue(summary, 1).AgentAttempts));
    }

    [Theory]
    [InlineData("""{ "repository": "acme/x", "capacity": 1, "issues": [], "colour": "red" }""", "colour")]
    [InlineData("""{ "repository": "acme/x", "capacity": 1, "issues": [ { "number": 2, "title": "t" } ] }""", "numbered 1..N")]
    [InlineData("""{ "repository": "acme/x", "capacity": 1, "issues": [ { "number": 1, "title": "t", "ci": ["maybe"] } ] }""", "\"pass\" or \"fail\"")]
    [InlineData("""{ "repository": "acme/x", "capacity": 1, "issues": [ { "number": 1, "title": "t", "blockedBy": [9] } ] }""", "#9")]
    [InlineData("""{ "capacity": 1, "issues": [] }""", "repository")]
    [InlineData("""{ "repository": "acme/x", "capacity": 1, "issues": [ { "number": 1, "title": "t" } ], "approvals": [ { "issue": 1, "by": "a", "afterSeconds": 1, "when": "now" } ] }""", "when")]
    public async Task A_bad_scenario_is_refused_with_a_clear_message(string json, string mentioned)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("baton-scenario-").FullName, "bad.json");
        await File.WriteAllTextAsync(file, json);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await DemoCommand.RunAsync(["--scenario", file, "--exit"], Program.BuildApp, output, error);

        Assert.Equal(2, exit);
        Assert.Contains(mentioned, error.ToString());
        Assert.DoesNotContain("DEMO-SUMMARY", output.ToString());
    }

    /// <summary>A Jira feature (issue 13): planned by the scripted model, approved, created as a milestone of dependent issues,
    /// worked by agents, merged, and the Jira issue ends Done with the pull requests.</summary>
    [Fact]
    public async Task A_Jira_feature_is_planned_worked_merged_and_ends_done_in_Jira()
    {
        var scenario = Path.Combine(Baton.Tests.Infrastructure.SharedFixtures.RepositoryRoot(), "Demo", "Scenarios", "jira-feature.json");

        var (exit, text, summary) = await RunAsync(["--scenario", scenario]);

        Assert.True(exit == 0, text);
        Assert.Contains("Jira SHOP-1 \"Gift cards\" moved to Ready to build.", text, StringComparison.Ordinal);
        Assert.Contains("Baton created milestone #1 with issues #1, #2, #3 and told Jira.", text, StringComparison.Ordinal);
        Assert.All(summary, issue => Assert.Equal(("merged", true), (issue.State, issue.Merged)));
        Assert.Equal(2, Issue(summary, 2).AgentAttempts);                    // CI failed once, the agent fixed it
        Assert.Contains("Jira SHOP-1 is Done; Baton's comment lists the merged pull requests (with links).", text, StringComparison.Ordinal);
    }

    /// <summary>A spoken request (issue 14): uploaded, transcribed, one question answered over HTTP, filed in Jira and on
    /// GitHub, worked by the agent and merged.</summary>
    [Fact]
    public async Task A_spoken_request_is_clarified_filed_worked_and_merged()
    {
        var scenario = Path.Combine(Baton.Tests.Infrastructure.SharedFixtures.RepositoryRoot(), "Demo", "Scenarios", "voice-request.json");

        var (exit, text, summary) = await RunAsync(["--scenario", scenario]);

        Assert.True(exit == 0, text);
        Assert.Contains("[voice] Baton heard: \"Add a dark mode toggle to the settings page.", text, StringComparison.Ordinal);
        Assert.Contains("[voice] Baton asks: Should the choice be remembered for the next visit?", text, StringComparison.Ordinal);
        Assert.Contains("[voice] Baton filed Jira SHOP-1 (label VOICE_INITIATED) and GitHub issue", text, StringComparison.Ordinal);
        Assert.Equal(("merged", true), (Issue(summary, 1).State, Issue(summary, 1).Merged));
    }

    [Fact]
    public async Task A_voice_scenario_must_hold_one_issue_and_say_what_is_spoken()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("baton-scenario-").FullName, "scenario.json");
        await File.WriteAllTextAsync(file, """
            { "repository": "acme/shop", "capacity": 1,
              "voice": { "project": "shop", "transcript": "Add dark mode.", "question": "", "answer": "Yes." },
              "issues": [ { "number": 1, "title": "One" }, { "number": 2, "title": "Two" } ] }
            """);
        var (output, error) = (new StringWriter(), new StringWriter());

        var exit = await DemoCommand.RunAsync(["--scenario", file, "--exit"], Program.BuildApp, output, error);

        Assert.Equal(2, exit);
        foreach (var problem in new[] { "voice.project 'shop' must be a Jira project key", "list exactly one", "voice.question is empty" })
            Assert.Contains(problem, error.ToString(), StringComparison.Ordinal);
    }

    static Task<(int Exit, string Text, List<SummaryIssue> Summary)> RunScenarioAsync(string json, params string[] hostArgs)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("baton-scenario-").FullName, "scenario.json");
        File.WriteAllText(file, json);
        return RunAsync(["--scenario", file, .. hostArgs]);
    }

    static async Task<(int Exit, string Text, List<SummaryIssue> Summary)> RunAsync(string[]? args = null, string agentSeconds = "0.2")
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = await DemoCommand.RunAsync([.. args ?? [], "--exit", "--agent-seconds", agentSeconds, "--timeout", "120", "--urls", "http://127.0.0.1:0"],
            Program.BuildApp, output, error);
        var text = $"{output}\n{error}";
        var line = output.ToString().Split('\n').SingleOrDefault(l => l.StartsWith("DEMO-SUMMARY ", StringComparison.Ordinal));
        Assert.True(line is not null, text);
        var summary = JsonSerializer.Deserialize<SummaryDocument>(line!["DEMO-SUMMARY ".Length..], new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        return (exit, text, summary.Issues);
    }

    static SummaryIssue Issue(List<SummaryIssue> summary, int number) => summary.Single(i => i.Number == number);

    sealed record SummaryDocument(List<SummaryIssue> Issues);

    sealed record SummaryIssue(int Number, string State, bool Merged, int AgentAttempts, int ReviewRounds, bool Gated,
        string? ApprovedSha, string? MergedSha);
}
