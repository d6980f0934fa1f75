using Baton.Demo.Scenarios;
using Baton.Functions.People;
using Baton.Orchestrations.Escalations;
using Microsoft.DurableTask.Client;

namespace Baton.Demo;

/// <summary>The scenario's people acting on Baton's escalations: they answer the agent's questions and approve gated pull
/// requests from the messages Baton sent them.</summary>
sealed class DemoPeople(DurableTaskClient baton)
{
    readonly EscalationDesk desk = new(baton);

    /// <summary>Where the people answer, for the demo's lines.</summary>
    public string Where => "on the dashboard";

    /// <summary>The open escalations of one kind about an issue of <paramref name="repository"/>, by issue number.</summary>
    public async Task<IReadOnlyDictionary<int, string>> OpenAsync(string kind, string repository)
    {
        var open = await desk.ListOpenAsync(CancellationToken.None);
        return open.Where(e => e.Status.Request.Kind == kind && e.Status.Request.Issue is { } issue && issue.Repository == repository)
            .GroupBy(e => e.Status.Request.Issue!.Number)
            .ToDictionary(g => g.Key, g => g.First().Key);
    }

    public Task<DeskResult> AnswerAsync(string key, ScenarioAnswer answer) =>
        desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Answer, answer.Text, answer.By, "dashboard", DateTime.UtcNow)
            { GitHubLogin = answer.By }, TimeSpan.FromSeconds(5), CancellationToken.None);

    public Task<DeskResult> ApproveAsync(string key, string by, string headSha) =>
        desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Approve, null, by, "dashboard", DateTime.UtcNow)
            { GitHubLogin = by, HeadSha = headSha }, TimeSpan.FromSeconds(5), CancellationToken.None);
}
