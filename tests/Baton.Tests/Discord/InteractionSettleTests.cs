using Baton.Demo.DiscordEmulator;
using Baton.Functions;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Discord;

/// <summary>With no time to wait for the escalation to settle (<c>Discord:SettleWait</c> 0), a click is answered "received,
/// applying" at once, and the answer still settles the escalation.</summary>
public sealed class InteractionSettleTests
{
    [Fact]
    public async Task Click_NoSettleWait_AnswersApplyingAndTheAnswerStillSettles()
    {
        var key = DiscordApplicationKey.Generate();
        await using var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Discord:PublicKey"] = key.PublicKeyHex,
                ["Discord:Approvers:0"] = InteractionServerFixture.Ada.UserId,
                ["Discord:SettleWait"] = "00:00:00",
            },
            ConfigureServices = services => services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName,
                registry => registry.AddOrchestrator<AnswerOnceEscalationOrchestration>()),
        });
        var sender = new InteractionSender(server.Http, new Uri(server.BaseAddress, DiscordInteractionsFunction.Route), key);
        var escalation = Guid.NewGuid().ToString("N");
        await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(AnswerOnceEscalationOrchestration),
            new EscalationRequest("question", "octo/repo#1", "Go?", "", [EscalationActions.Stop], null, null, null, []),
            new StartOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(escalation) });
        var desk = server.Services.GetRequiredService<Baton.Functions.People.EscalationDesk>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Eventually.HoldsAsync(async () => await desk.GetAsync(escalation, timeout.Token) is { IsOpen: true }, what: "the escalation never opened");

        using var response = await sender.ClickAsync(EscalationIds.ComponentId(EscalationActions.Stop, escalation), InteractionServerFixture.Ada);

        Assert.Contains("Baton is applying it", await InteractionAssert.IsEphemeralAsync(response), StringComparison.Ordinal);
        var instance = await server.Client.WaitForInstanceCompletionAsync(EscalationIds.InstanceIdFor(escalation), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal("Ada", instance.ReadOutputAs<EscalationOutcome>()!.By);
    }
}
