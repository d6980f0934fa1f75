using Baton.Demo.GitHubEmulator;
using Baton.Functions.People;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Escalations;

/// <summary>
/// Escalations on a real host (SQLite, the SDK worker) with the GitHub emulator over loopback: asked on the issue, answered
/// through <see cref="EscalationDesk"/> (what Discord and the dashboard use) exactly once, reminded and timed out on schedule.
/// </summary>
public sealed class EscalationEndToEndTests : IAsyncLifetime
{
    const string Repository = "acme/widget";
    readonly GitHubEmulator github = new();
    BatonServer server = null!;
    EmulatedIssueRef issue = null!;

    public async Task InitializeAsync()
    {
        await github.StartAsync();
        github.CreateRepository(Repository);
        issue = github.CreateIssue(Repository, "Take payments", "approved");
        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.BaseUrl.ToString(),
                ["GitHub:Token"] = "test-token",
                ["Escalation:ReminderEvery"] = "01:00:00",
                ["Escalation:Kinds:question:ReminderEvery"] = "00:00:01",
                ["Escalation:Kinds:question:FinalTimeout"] = "00:00:03",
                ["Baton:PublicUrl"] = "https://baton.example.test",
            },
        });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await github.DisposeAsync();
    }

    EscalationDesk Desk => server.Services.GetRequiredService<EscalationDesk>();

    [Fact]
    public async Task Two_people_answering_at_once_settle_it_once_and_the_issue_says_who_decided()
    {
        var key = await OpenAsync(Request("gate", [EscalationActions.Approve, EscalationActions.Reject]));
        await EventuallyAsync(() => Comments().Any(c => c.Contains("needs a person", StringComparison.Ordinal)));
        Assert.Contains("needs-human", github.GetIssue(issue).Labels);
        var opening = Comments().Single(c => c.Contains("needs a person", StringComparison.Ordinal));
        Assert.Contains("https://baton.example.test/", opening);   // the dashboard link

        var at = DateTime.UtcNow;
        var answers = await Task.WhenAll(
            Desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Approve, null, "ada", "dashboard", at), TimeSpan.FromSeconds(10), default),
            Desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Reject, "No.", "grace", "discord", at), TimeSpan.FromSeconds(10), default));

        var applied = Assert.Single(answers, a => a.Verdict == DeskVerdict.Applied);
        var other = Assert.Single(answers, a => a.Verdict == DeskVerdict.AlreadyResolved);
        Assert.Equal(applied.Outcome!.By, other.Outcome!.By);   // the loser is told who won
        var done = await server.Client.WaitForInstanceCompletionAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true);
        Assert.Equal(applied.Outcome.Action, done.ReadOutputAs<EscalationOutcome>()!.Action);
        await EventuallyAsync(() => Comments().Any(c => c.Contains($"by {applied.Outcome.By} via", StringComparison.Ordinal)));
        // An approval lets the work go on: the issue no longer needs a person. A rejection leaves the label.
        Assert.Equal(applied.Outcome.Action == EscalationActions.Approve, !github.GetIssue(issue).Labels.Contains("needs-human"));

        // A late click changes nothing and says who decided.
        var late = await Desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Approve, null, "linus", "discord", DateTime.UtcNow), TimeSpan.FromSeconds(1), default);
        Assert.Equal((DeskVerdict.AlreadyResolved, applied.Outcome.By), (late.Verdict, late.Outcome!.By));
    }

    [Fact]
    public async Task Nobody_answering_gets_reminders_then_the_default_at_the_final_timeout()
    {
        var key = await OpenAsync(Request("question", [EscalationActions.Answer, EscalationActions.Stop]));

        var done = await server.Client.WaitForInstanceCompletionAsync(EscalationIds.InstanceIdFor(key), getInputsAndOutputs: true,
            new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        var outcome = done.ReadOutputAs<EscalationOutcome>()!;
        Assert.Equal((EscalationActions.Stop, true), (outcome.Action, outcome.TimedOut));
        Assert.Contains(Comments(), c => c.StartsWith("**Reminder:", StringComparison.Ordinal));
        Assert.Contains(Comments(), c => c.Contains("nobody answered, so Baton chose to stop", StringComparison.Ordinal));
        var status = await Desk.GetAsync(key, default);
        Assert.Equal("timed-out", status!.State);
    }

    [Fact]
    public async Task The_desk_refuses_unknown_escalations_and_actions_not_offered_and_changes_nothing()
    {
        var key = await OpenAsync(Request("gate", [EscalationActions.Approve, EscalationActions.Reject]));

        var unknown = await Desk.AnswerAsync("ffffffffffffffffffffffffffffffff", new EscalationAnswer(EscalationActions.Approve, null, "ada", "dashboard", DateTime.UtcNow),
            TimeSpan.FromSeconds(1), default);
        var notOffered = await Desk.AnswerAsync(key, new EscalationAnswer(EscalationActions.Answer, "hi", "ada", "dashboard", DateTime.UtcNow),
            TimeSpan.FromSeconds(1), default);

        Assert.Equal((DeskVerdict.NotFound, DeskVerdict.NotOffered), (unknown.Verdict, notOffered.Verdict));
        var open = await Desk.ListOpenAsync(default);
        Assert.Contains(open, e => e.Key == key && e.Status.IsOpen && e.Status.Request.Kind == "gate");
    }

    EscalationRequest Request(string kind, IReadOnlyList<string> actions) =>
        new(kind, $"{Repository}#{issue.Number}", $"{Repository}#{issue.Number} needs a person", "Something needs a decision.", actions,
            new IssueRef("acme", "widget", issue.Number), null, null, ["ada", "grace"]);

    async Task<string> OpenAsync(EscalationRequest request)
    {
        var key = Guid.NewGuid().ToString("N");
        await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EscalationOrchestration), request,
            new StartOrchestrationOptions(EscalationIds.InstanceIdFor(key)));
        // Waiting: its custom status is set once the question is out.
        await EventuallyAsync(async () => (await Desk.GetAsync(key, default))?.NextReminderAt is not null);
        return key;
    }

    IReadOnlyList<string> Comments() => github.GetIssue(issue).Comments;

    static Task EventuallyAsync(Func<bool> condition) => Eventually.HoldsAsync(condition);

    static Task EventuallyAsync(Func<Task<bool>> condition) => Eventually.HoldsAsync(condition);
}
