using Baton.Demo.DiscordEmulator;
using Baton.Demo.GitHubEmulator;
using Baton.Functions;
using Baton.Functions.People;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.Discord;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Discord;

/// <summary>The real <see cref="EscalationOrchestration"/> answered from Discord, with GitHub played by the emulator: a gate's
/// approval carries the pull request's head as read at the click.</summary>
public sealed class InteractionGateTests : IAsyncLifetime
{
    const string Repo = "acme/widgets";
    static readonly DiscordPerson Ada = InteractionServerFixture.Ada;

    readonly DiscordApplicationKey key = DiscordApplicationKey.Generate();
    readonly GitHubEmulator gitHub = new();
    BatonServer server = null!;
    InteractionSender sender = null!;

    public async Task InitializeAsync()
    {
        await gitHub.StartAsync(port: 0);
        gitHub.CreateRepository(Repo);
        server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Discord:PublicKey"] = key.PublicKeyHex,
                ["Discord:Approvers:0"] = $"user:{Ada.UserId}=ada-lovelace",
                ["GitHub:ApiUrl"] = gitHub.BaseUrl.ToString(),
                ["GitHub:Token"] = "ghp_emulator-token",
                ["GitHub:Retry:BaseDelay"] = "00:00:00.010",
            },
        });
        sender = new InteractionSender(server.Http, new Uri(server.BaseAddress, DiscordInteractionsFunction.Route), key);
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await gitHub.DisposeAsync();
    }

    EscalationDesk Desk => server.Services.GetRequiredService<EscalationDesk>();

    async Task<(string Key, EmulatedIssueRef Pull)> OpenGateAsync()
    {
        var issue = gitHub.CreateIssue(Repo, "Payments: refund endpoint");
        var pull = gitHub.OpenPullRequest(Repo, "Refund endpoint", "baton/issue-" + issue.Number);
        var head = gitHub.GetPullRequest(pull).HeadSha;
        var escalation = Guid.NewGuid().ToString("N");
        var request = new EscalationRequest("gate", $"{Repo}#{issue.Number}", "Approve the refund endpoint?", "Touches payments.",
            [EscalationActions.Approve, EscalationActions.Reject], new IssueRef("acme", "widgets", issue.Number), pull.Number, head, ["ada-lovelace"]);
        await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(EscalationOrchestration), request,
            new StartOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(escalation) });
        await WaitForAsync(escalation, s => s is { IsOpen: true, NextReminderAt: not null });
        return (escalation, pull);
    }

    async Task<EscalationStatus> WaitForAsync(string escalation, Func<EscalationStatus?, bool> condition) =>
        (await Eventually.ReachesAsync(() => Desk.GetAsync(escalation, CancellationToken.None), condition,
            status => $"Escalation {escalation}: last state {status?.State}."))!;

    [Fact]
    public async Task Click_ApproveOnGate_SettlesWithTheHeadReadAtTheClickAndTheMappedLogin()
    {
        var (escalation, pull) = await OpenGateAsync();

        using var response = await sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), Ada);

        var body = await InteractionAssert.IsCallbackAsync(response, DiscordCallbackType.UpdateMessage);
        Assert.StartsWith("**Approve** by Ada", body.GetProperty("data").GetProperty("content").GetString(), StringComparison.Ordinal);
        var outcome = (await WaitForAsync(escalation, s => s?.Outcome is not null)).Outcome!;
        Assert.Equal((EscalationActions.Approve, "ada-lovelace", gitHub.GetPullRequest(pull).HeadSha),
            (outcome.Action, outcome.GitHubLogin, outcome.HeadSha));
    }

    [Fact]
    public async Task SubmitModal_RejectOnGate_SettlesWithReasonAndHead()
    {
        var (escalation, pull) = await OpenGateAsync();
        var customId = EscalationIds.ComponentId(EscalationActions.Reject, escalation);

        using var click = await sender.ClickAsync(customId, Ada);
        using var submit = await sender.SubmitModalAsync(customId, "Refunds need an audit log.", Ada);

        await InteractionAssert.IsCallbackAsync(click, DiscordCallbackType.Modal);
        await InteractionAssert.IsCallbackAsync(submit, DiscordCallbackType.UpdateMessage);
        var outcome = (await WaitForAsync(escalation, s => s?.Outcome is not null)).Outcome!;
        Assert.Equal((EscalationActions.Reject, "Refunds need an audit log.", gitHub.GetPullRequest(pull).HeadSha),
            (outcome.Action, outcome.Text, outcome.HeadSha));
    }

    [Fact]
    public async Task Click_ApproveWhileGitHubIsDown_ChangesNothingAndSaysSo()
    {
        var (escalation, _) = await OpenGateAsync();
        gitHub.Faults.Enqueue(EmulatedFault.ServerError, "GET", "/repos/*/*/pulls/*", times: 100);

        using var response = await sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Approve, escalation), Ada);

        Assert.Contains("Could not read pull request", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
        Assert.True((await Desk.GetAsync(escalation, CancellationToken.None))!.IsOpen);
    }
}
