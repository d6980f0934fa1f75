using System.Text.Json.Nodes;
using Baton.Demo.GitHubEmulator;
using Baton.Demo.JiraEmulator;
using Baton.Demo.OllamaEmulator;
using Baton.Demo.Scenarios;
using Baton.Functions.People;
using Baton.Orchestrations.Escalations;
using Baton.Orchestrations.Features;
using Microsoft.DurableTask.Client;

namespace Baton.Demo;

/// <summary>
/// The Jira part of a demo (<see cref="ScenarioJira"/>): a Jira emulator and a scripted model whose plan is the scenario's
/// issues, in order. A product owner moves the feature to "Ready to build", approves the plan, and at the end the Jira
/// issue is Done with the merged pull requests.
/// </summary>
sealed class JiraDemo(DemoScenario scenario, ScenarioJira feature, TextWriter output) : IAsyncDisposable
{
    const string Secret = "demo-jira-secret";
    readonly JiraEmulator.JiraEmulator jira = new();
    readonly OllamaEmulator.OllamaEmulator ollama = new();

    public async Task<IReadOnlyList<string>> StartAsync()
    {
        await Task.WhenAll(jira.StartAsync(), ollama.StartAsync());
        ollama.Fallback = _ => new OllamaReply(Plan());
        return
        [
            $"--Jira:BaseUrl={jira.BaseUrl}", $"--Jira:Email={jira.Email}", $"--Jira:ApiToken={jira.ApiToken}", $"--Jira:WebhookSecret={Secret}",
            $"--Jira:Projects:{feature.Project}:Repository={scenario.Repository}", "--Jira:ProgressPollInterval=00:00:02",
            $"--Ollama:BaseUrl={ollama.BaseUrl}", "--Ollama:Model=scripted-planner",
        ];
    }

    /// <summary>Files the feature, moves it to ready, approves the plan when it is asked, and waits until Baton created it.</summary>
    public async Task<FiledByBaton> PlanAsync(Uri baton, DurableTaskClient client, EscalationDesk desk, CancellationToken cancellationToken)
    {
        jira.WebhookUrl = new Uri(baton, "/api/jira/webhook");
        jira.WebhookSecret = Secret;
        var key = jira.CreateIssue(feature.Project, feature.Summary, feature.Description ?? "");
        jira.Transition(key, "Ready to build");
        await Say($"Jira {key} \"{feature.Summary}\" moved to Ready to build.");

        var approval = await OpenPlanAsync(desk, key, cancellationToken);
        await Say($"Baton planned {scenario.Issues.Count} issues with the model and asks for approval; the product owner approves.");
        await desk.AnswerAsync(approval, new EscalationAnswer(EscalationActions.Approve, null, "product-owner", "dashboard", DateTime.UtcNow),
            TimeSpan.FromSeconds(5), cancellationToken);
        var done = await client.WaitForInstanceCompletionAsync(FeatureOrchestration.InstanceIdFor(key), getInputsAndOutputs: true, cancellationToken);
        var outcome = done.ReadOutputAs<FeatureOutcome>() ?? throw new InvalidOperationException($"The feature {key} did not complete: {done.FailureDetails}");
        if (outcome.State != FeatureState.Created) throw new InvalidOperationException($"The feature {key} ended {outcome.State}: {outcome.Reason}");
        var issues = outcome.Issues.Select((issue, i) => (Number: i + 1, Ref: new EmulatedIssueRef(issue.Repository, issue.Number, issue.Id))).ToList();
        if (issues.FirstOrDefault(i => i.Number != i.Ref.Number) is { Ref: not null } wrong)
            throw new InvalidOperationException($"Baton created scenario issue #{wrong.Number} as #{wrong.Ref.Number}.");
        await Say($"Baton created milestone #{outcome.Milestones.Single().Number} with issues {string.Join(", ", issues.Select(i => "#" + i.Number))} and told Jira.");
        return new FiledByBaton(key, issues.ToDictionary(i => i.Number, i => i.Ref), outcome.Milestones.Single().Number);
    }

    /// <summary>Waits for Baton to move the Jira issue to Done, and says with which pull requests.</summary>
    public async Task WaitForDoneAsync(string key, CancellationToken cancellationToken)
    {
        while (jira.Issue(key)!.Status != "Done") await Task.Delay(200, cancellationToken);
        var merged = jira.Issue(key)!.Comments.Count(c => c.Body.ToJsonString().Contains("/pull/", StringComparison.Ordinal));
        await Say($"Jira {key} is Done; Baton's comment lists the merged pull requests ({(merged > 0 ? "with links" : "none")}).");
    }

    static async Task<string> OpenPlanAsync(EscalationDesk desk, string key, CancellationToken cancellationToken)
    {
        while (true)
        {
            var open = await desk.ListOpenAsync(cancellationToken);
            if (open.FirstOrDefault(e => e.Status.Request.Kind == FeatureRules.ApprovalKind && e.Status.Request.Subject == key) is { Key: { } found })
                return found;
            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>The scripted model's answer: the scenario's issues as a plan, in order.</summary>
    string Plan() => new JsonObject
    {
        ["issues"] = new JsonArray([.. scenario.Issues.Select(issue => (JsonNode)new JsonObject
        {
            ["id"] = $"issue-{issue.Number}",
            ["title"] = issue.Title,
            ["body"] = issue.Body ?? issue.Title,
            ["acceptance_criteria"] = new JsonArray($"{issue.Title} works"),
            ["priority"] = issue.AllLabels.Contains("critical") ? "critical" : issue.AllLabels.Contains("high-priority") ? "high" : "normal",
            ["depends_on"] = new JsonArray([.. issue.AllBlockedBy.Select(b => (JsonNode)$"issue-{b}")]),
            ["repository"] = scenario.Repository,
        })]),
    }.ToJsonString();

    Task Say(string line) => output.WriteLineAsync($"       {line}");

    public async ValueTask DisposeAsync()
    {
        await jira.DisposeAsync();
        await ollama.DisposeAsync();
    }
}
