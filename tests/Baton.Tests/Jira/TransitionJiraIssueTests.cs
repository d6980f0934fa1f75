using Baton.Activities.Jira;
using Baton.Orchestrations.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Baton.Tests.Jira;

/// <summary>Transitions looked up by the status they lead to, against the emulator: workflows with other ids work, an
/// issue already there is left alone, and a workflow without the transition answers Missing instead of failing.</summary>
public sealed class TransitionJiraIssueTests
{
    static readonly JiraOptions Options = new()
    {
        Projects = { ["SHOP"] = new JiraProjectOptions { Repository = "acme/shop", DoneStatus = "Shipped" } },
    };

    static TransitionJiraIssue Activity(JiraTestClient jira) =>
        new(jira.Client, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<TransitionJiraIssue>.Instance);

    [Fact]
    public async Task Moves_ByTheProjectsStatusName_WhateverTheTransitionId()
    {
        await using var jira = await JiraTestClient.StartAsync();
        jira.Emulator.Transitions.Add(new("977", "Ship it", "Shipped"));
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");
        var activity = Activity(jira);

        var first = await activity.RunAsync(null!, new JiraStageChange(key, "SHOP", JiraStage.Done, "All done:\nacme/shop#12", "baton:done"));
        var again = await activity.RunAsync(null!, new JiraStageChange(key, "SHOP", JiraStage.Done, "All done:\nacme/shop#12", "baton:done"));

        Assert.Equal((JiraMoveResult.Moved, JiraMoveResult.AlreadyThere), (first, again));
        Assert.Equal("Shipped", jira.Emulator.Issue(key)!.Status);
        Assert.Single(jira.Emulator.Issue(key)!.Comments);
    }

    [Fact]
    public async Task AWorkflowWithoutTheTransition_AnswersMissing()
    {
        await using var jira = await JiraTestClient.StartAsync();
        jira.Emulator.Transitions.RemoveAll(t => t.To == "In Progress");
        var key = jira.Emulator.CreateIssue("SHOP", "Gift cards", "");

        var result = await Activity(jira).RunAsync(null!, new JiraStageChange(key, "SHOP", JiraStage.InProgress));

        Assert.Equal(JiraMoveResult.Missing, result);
        Assert.Equal("To Do", jira.Emulator.Issue(key)!.Status);
        Assert.DoesNotContain(jira.Emulator.Requests, r => r == $"POST /rest/api/3/issue/{key}/transitions");
    }
}
