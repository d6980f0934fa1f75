using Baton.Demo.DiscordEmulator;
using Baton.Functions;
using Baton.Functions.People;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Discord;

/// <summary><c>/baton</c> registered at start-up against the Discord emulator: once, idempotently, and a failure neither
/// stops the host nor interactions.</summary>
public sealed class InteractionCommandRegistrationTests
{
    static async Task<(BatonServer Server, InteractionSender Sender)> StartAsync(DiscordEmulator discord, string botToken)
    {
        var key = DiscordApplicationKey.Generate();
        var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Discord:PublicKey"] = key.PublicKeyHex,
                ["Discord:ApplicationId"] = discord.ApplicationId,
                ["Discord:ApiUrl"] = discord.ApiUrl.ToString(),
                ["Discord:BotToken"] = botToken,
            },
        });
        return (server, new InteractionSender(server.Http, new Uri(server.BaseAddress, DiscordInteractionsFunction.Route), key));
    }

    [Fact]
    public async Task Start_Twice_RegistersTheBatonCommandByBulkOverwrite()
    {
        await using var discord = new DiscordEmulator();
        await discord.StartAsync(port: 0);

        for (var start = 0; start < 2; start++)
        {
            var (server, _) = await StartAsync(discord, discord.BotToken);
            await using (server)
                await server.Logs.WaitForAsync(e => e.EventId.Id == 5105);
        }

        var command = Assert.Single(discord.Commands)!.AsObject();
        Assert.Equal(DiscordCommands.Name, (string?)command["name"]);
        Assert.Equal(2, discord.Requests.Count(r => r is { Method: "PUT", Status: 200 } && r.Route.EndsWith("/commands", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_DiscordRefusesTheToken_LogsOneLineAndInteractionsStillWork()
    {
        await using var discord = new DiscordEmulator();
        await discord.StartAsync(port: 0);

        var (server, sender) = await StartAsync(discord, "not-the-bot-token");
        await using (server)
        {
            var line = await server.Logs.WaitForAsync(e => e.EventId.Id == 5106);
            using var pong = await sender.PingAsync();

            await InteractionAssert.IsCallbackAsync(pong, Baton.Webhooks.Discord.DiscordCallbackType.Pong);
            Assert.Single(server.Logs.Entries, e => e.EventId.Id == 5106);
            Assert.DoesNotContain("not-the-bot-token", line.Message, StringComparison.Ordinal);
            Assert.Empty(discord.Commands);
        }
    }
}
