using System.Net;
using System.Text.Json;
using Baton.Demo.DiscordEmulator;
using Baton.Functions;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Discord;

/// <summary>Without a usable public key, or with a malformed allow-list, intake is off, visibly, and refuses everything.</summary>
public sealed class InteractionsDisabledTests
{
    /// <summary>Each setup starts from a valid key and changes one setting; the last column is what start-up must name.</summary>
    public static TheoryData<string, string, string, string> Setups => new()
    {
        { "no public key", "Discord:PublicKey", "", "Discord__PublicKey" },
        { "public key not hex", "Discord:PublicKey", new string('z', 64), "not a valid Ed25519 public key" },
        { "public key too short", "Discord:PublicKey", "7d4d0e7f6153a69b", "not a valid Ed25519 public key" },
        { "settle wait past Discord's deadline", "Discord:SettleWait", "00:00:05", "SettleWait" },
    };

    [Theory]
    [MemberData(nameof(Setups))]
    public async Task Post_SetUpUnusably_Returns503AndReportsTheFeatureOffSayingWhy(string setup, string settingKey, string settingValue, string reason)
    {
        var key = DiscordApplicationKey.Generate();
        var settings = new Dictionary<string, string> { ["Discord:PublicKey"] = key.PublicKeyHex, [settingKey] = settingValue };
        await using var server = await BatonServer.StartAsync(new BatonServerOptions { Settings = settings });
        var sender = new InteractionSender(server.Http, new Uri(server.BaseAddress, DiscordInteractionsFunction.Route), key);

        using var response = await sender.PingAsync();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.False(await FeatureEnabledAsync(server), setup);
        Assert.Contains(server.Logs.Entries, e => e.Values.Contains(DiscordInteractionsSetup.FeatureName, StringComparison.Ordinal)
            && e.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_MalformedApproverEntry_Returns503AndNamesTheEntry()
    {
        var key = DiscordApplicationKey.Generate();
        await using var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string> { ["Discord:PublicKey"] = key.PublicKeyHex, ["Discord:Approvers:0"] = "team:ops" },
        });
        var sender = new InteractionSender(server.Http, new Uri(server.BaseAddress, DiscordInteractionsFunction.Route), key);

        using var response = await sender.PingAsync();

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
        Assert.Contains(server.Logs.Entries, e => e.Values.Contains(DiscordInteractionsSetup.FeatureName, StringComparison.Ordinal)
            && e.Message.Contains("Discord:Approvers:0", StringComparison.Ordinal));
    }

    static async Task<bool> FeatureEnabledAsync(BatonServer server)
    {
        using var response = await server.Http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == DiscordInteractionsSetup.FeatureName).GetProperty("enabled").GetBoolean();
    }
}
