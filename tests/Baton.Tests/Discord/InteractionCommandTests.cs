using Baton.Demo.DiscordEmulator;
using Baton.Orchestrations.Conductor;
using Baton.Orchestrations.Escalations;
using Baton.Functions.People;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Discord;

/// <summary><c>/baton status</c> and <c>/baton queue</c>: ephemeral, approvers only, read from the engine.</summary>
public sealed class InteractionCommandTests(InteractionServerFixture fixture) : IClassFixture<InteractionServerFixture>
{
    InteractionSender Sender => fixture.Sender;
    static readonly DiscordPerson Ada = InteractionServerFixture.Ada;

    [Fact]
    public async Task Status_ByApprover_ListsWaitingDecisionsEphemerally()
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Answer);
        var title = (await fixture.Desk.GetAsync(escalation, CancellationToken.None))!.Request.Title;

        using var response = await Sender.CommandAsync(DiscordCommands.Name, DiscordCommands.Status, Ada);

        var text = await InteractionAssert.IsEphemeralAsync(response);
        Assert.Contains("**Running**", text, StringComparison.Ordinal);
        Assert.Contains("**Waiting for people**", text, StringComparison.Ordinal);
        Assert.Contains(title, text, StringComparison.Ordinal);
        Assert.True(text.Length <= 2000);
    }

    [Fact]
    public async Task Queue_WithConductorStatus_ListsWaitingIssuesAndWhy()
    {
        await fixture.Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(ShowConductorStatusOrchestration),
            new ConductorStatus(7, 2, [], [new WaitingIssue(new IssueRef("octo", "repo", 5), WaitReason.BlockedByOpenIssue, [new IssueRef("octo", "repo", 4)])], []),
            new StartOrchestrationOptions { InstanceId = ConductorEvents.ConductorInstanceId });
        await WaitForConductorAsync();

        using var queue = await Sender.CommandAsync(DiscordCommands.Name, DiscordCommands.Queue, Ada);
        using var status = await Sender.CommandAsync(DiscordCommands.Name, DiscordCommands.Status, Ada);

        var text = await InteractionAssert.IsEphemeralAsync(queue);
        Assert.Contains("round 7: 2 running, 1 waiting", text, StringComparison.Ordinal);
        Assert.Contains("octo/repo#5 — blocked by octo/repo#4", text, StringComparison.Ordinal);
        Assert.Contains("octo/repo#5 — blocked by octo/repo#4", await InteractionAssert.IsEphemeralAsync(status), StringComparison.Ordinal);
        await fixture.Server.Client.RaiseEventAsync(ConductorEvents.ConductorInstanceId, "Stop", "done");
    }

    Task WaitForConductorAsync() => Eventually.ReachesAsync(
        () => fixture.Server.Client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true),
        conductor => conductor is { SerializedCustomStatus: not null },
        last => $"The stand-in conductor never showed its status: {last?.RuntimeStatus} {last?.FailureDetails?.ErrorMessage}");

    [Theory]
    [InlineData(DiscordCommands.Status)]
    [InlineData(DiscordCommands.Queue)]
    public async Task Command_NotAllowListed_ShowsNothing(string subcommand)
    {
        using var response = await Sender.CommandAsync(DiscordCommands.Name, subcommand, InteractionServerFixture.Stranger);

        var text = await InteractionAssert.IsEphemeralAsync(response);
        Assert.Contains("not on Baton's approver list", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Waiting", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Command_UnknownSubcommand_IsExplained()
    {
        using var response = await Sender.CommandAsync(DiscordCommands.Name, "deploy", Ada);

        Assert.Contains("Unknown command", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public void Definitions_OneBatonCommandWithStatusAndQueue()
    {
        var command = Assert.Single(DiscordCommands.Definitions())!.AsObject();

        Assert.Equal(DiscordCommands.Name, (string?)command["name"]);
        Assert.Equal([DiscordCommands.Status, DiscordCommands.Queue], command["options"]!.AsArray().Select(o => (string?)o!["name"]));
        Assert.All(command["options"]!.AsArray(), o => Assert.Equal(1, (int)o!["type"]!));
    }
}
