using Baton.Activities.Discord;
using Baton.Activities.Notifications;
using Baton.Demo.DiscordEmulator;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Discord;

/// <summary>
/// Notifications through the real host to the Discord emulator: queued durably and delivered exactly once through 429s
/// and an outage, without the pipeline ever waiting for Discord; replacements edit the message in place.
/// </summary>
public sealed class DiscordDeliveryTests
{
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    static Notification PrReady(string title = "Pull request ready: acme/widgets#13") => new("pr-ready", title, "Green CI, reviewed.",
        "https://github.com/acme/widgets/pull/13")
    {
        Links = [new("Issue", "https://github.com/acme/widgets/issues/12"), new("Dashboard", "http://localhost:7071/")],
    };

    [Fact]
    public async Task Send_Through429sAndAnOutage_PostsExactlyOnce()
    {
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        await using var server = await BatonServer.StartAsync(Options(discord, webhook));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.Outage = true;

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None).WaitAsync(Bound);
        await discord.WaitUntilAsync(d => d.Requests.Count(r => r.Status == 503) >= 2, Bound, "two sends during the outage");
        discord.Faults.RateLimitNext(2, TimeSpan.FromMilliseconds(300));
        discord.Faults.Outage = false;
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        var message = Assert.Single(discord.Messages);
        Assert.Equal(message.Id, result.Message!.MessageId);
        Assert.Equal(DiscordTargets.Webhook(new DiscordWebhook(webhook.Id, webhook.Token)), result.Message.Target);
        Assert.Equal("Pull request ready: acme/widgets#13", message.Title);
        Assert.Equal(2, discord.Requests.Count(r => r.Status == 429));
        Assert.Equal(0, discord.Faults.Waiting);
        AssertNoSecretLogged(server, discord, webhook);
    }

    [Fact]
    public async Task Send_SameKeyAgain_StartsNothingNew()
    {
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        await using var server = await BatonServer.StartAsync(Options(discord, webhook));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");
        var requests = discord.Requests.Count;

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);

        var instance = await server.Client.GetInstanceAsync(DiscordMessageKeys.InstanceIdFor("issue:acme/widgets#12:pr-ready"));
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance!.RuntimeStatus);
        Assert.Single(discord.Messages);
        Assert.Equal(requests, discord.Requests.Count);
    }

    [Fact]
    public async Task PipelineActivity_WhileDiscordIsDown_CompletesWithoutWaiting()
    {
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        await using var server = await BatonServer.StartAsync(Options(discord, webhook) with
        {
            ConfigureServices = services => services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName,
                registry => registry.AddOrchestrator<NotifyOnceOrchestration>()),
        });
        discord.Faults.Outage = true;

        var id = await server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(NotifyOnceOrchestration), "CI failed on acme/widgets#13");
        using var timeout = new CancellationTokenSource(Bound);
        var pipeline = await server.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, pipeline.RuntimeStatus);
        Assert.Empty(discord.Messages);
        var key = $"{id}:ci-failed:CI failed on acme/widgets#13";
        var delivery = await server.Client.GetInstanceAsync(DiscordMessageKeys.InstanceIdFor(key));
        Assert.False(delivery!.IsCompleted);

        discord.Faults.Outage = false;
        await CompletedAsync(server, key);
        Assert.Equal("CI failed on acme/widgets#13", Assert.Single(discord.Messages).Title);
    }

    [Fact]
    public async Task Send_ReplacementOfAMessageNotPostedYet_EditsItOncePosted()
    {
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        await using var server = await BatonServer.StartAsync(Options(discord, webhook));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.Outage = true;
        var gate = new Notification("gate-waiting", "Gate waiting on acme/widgets#13", "Approve or reject.")
        {
            Buttons = [new("Approve", "baton:approve:0123456789abcdef", "success"), new("Reject", "baton:reject:0123456789abcdef", "danger")],
            Mentions = ["role:111111111111111111"],
        };
        var decided = new Notification("escalation-resolved", "Approved by octocat", "Merged after approval.") { Replaces = "escalation:gate" };

        await channel.SendAsync(gate, "escalation:gate", CancellationToken.None);
        await channel.SendAsync(decided, "escalation:gate:resolved", CancellationToken.None);
        await discord.WaitUntilAsync(d => d.Requests.Count(r => r.Status == 503) >= 1, Bound, "a send during the outage");
        discord.Faults.Outage = false;
        var result = await CompletedAsync(server, "escalation:gate:resolved");

        var message = Assert.Single(discord.Messages);
        Assert.True(result.Edited);
        Assert.Equal(message.Id, result.Message!.MessageId);
        Assert.Equal("Approved by octocat", message.Title);
        Assert.Empty(message.Body["components"]!.AsArray());
        var before = Assert.Single(message.Versions);
        Assert.Equal(2, before["components"]![0]!["components"]!.AsArray().Count);
    }

    [Fact]
    public async Task Send_AsBot_PostsWithTheKeysNonce()
    {
        await using var discord = await StartEmulatorAsync();
        await using var server = await BatonServer.StartAsync(BotOptions(discord, discord.BotToken));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.RateLimitNext(1, TimeSpan.FromMilliseconds(200));

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        var message = Assert.Single(discord.Messages);
        Assert.Equal(DiscordMessageKeys.NonceFor("issue:acme/widgets#12:pr-ready"), message.Nonce);
        Assert.Equal(DiscordTargets.Channel(discord.ChannelId), result.Message!.Target);
    }

    [Fact]
    public async Task Send_AsBotWhenTheAnswerIsLost_RetriesWithTheSameNonceAndPostsOnce()
    {
        await using var discord = await StartEmulatorAsync();
        await using var server = await BatonServer.StartAsync(BotOptions(discord, discord.BotToken));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.LoseNextAnswers(1);

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        var message = Assert.Single(discord.Messages);
        Assert.Equal(message.Id, result.Message!.MessageId);
        Assert.Equal([EmulatedDiscordRequest.AnswerLost, 200], discord.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Send_ThroughAWebhookWhenTheAnswerIsLost_PostsASecondCopy_TheDocumentedWindow()
    {
        // docs/discord.md, "Idempotency": Execute Webhook takes no nonce and a webhook cannot read the channel, so a send
        // that Discord stored but whose answer was lost is posted again. This pins that documented behaviour.
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        await using var server = await BatonServer.StartAsync(Options(discord, webhook));
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.LoseNextAnswers(1);

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        Assert.Equal(2, discord.Messages.Count);
        Assert.Equal(discord.Messages[1].Id, result.Message!.MessageId);
    }

    [Fact]
    public async Task Send_DiscordDownLongerThanGiveUpAfter_GivesUpAndStillCompletes()
    {
        await using var discord = await StartEmulatorAsync();
        var webhook = discord.CreateWebhook();
        var options = Options(discord, webhook);
        await using var server = await BatonServer.StartAsync(options with
        {
            Settings = new Dictionary<string, string>(options.Settings) { ["Discord:Delivery:GiveUpAfter"] = "00:00:01" },
        });
        var channel = server.Services.GetRequiredService<INotificationChannel>();
        discord.Faults.Outage = true;

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        Assert.Null(result.Message);
        Assert.Contains("503", result.GaveUp, StringComparison.Ordinal);
        Assert.InRange(discord.Requests.Count, 2, 10);
        Assert.Single(server.Logs.Entries, e => e.EventId.Id == 5013);
        AssertNoSecretLogged(server, discord, webhook);
    }

    [Fact]
    public async Task Send_WithABadBotToken_GivesUpAtOnceWithOneErrorAndNoSecret()
    {
        await using var discord = await StartEmulatorAsync();
        await using var server = await BatonServer.StartAsync(BotOptions(discord, "wrong-bot-token.do-not-log"));
        var channel = server.Services.GetRequiredService<INotificationChannel>();

        await channel.SendAsync(PrReady(), "issue:acme/widgets#12:pr-ready", CancellationToken.None);
        var result = await CompletedAsync(server, "issue:acme/widgets#12:pr-ready");

        Assert.Null(result.Message);
        Assert.Contains("401", result.GaveUp, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-bot-token.do-not-log", result.GaveUp, StringComparison.Ordinal);
        Assert.Single(discord.Requests);
        Assert.Single(server.Logs.Entries, e => e.EventId.Id == 5013);
        Assert.DoesNotContain(server.Logs.Entries, e => (e.Message + e.Values).Contains("wrong-bot-token.do-not-log", StringComparison.Ordinal));
    }

    static async Task<DiscordEmulator> StartEmulatorAsync()
    {
        var discord = new DiscordEmulator();
        await discord.StartAsync();
        return discord;
    }

    static BatonServerOptions Options(DiscordEmulator discord, EmulatedWebhook webhook) => new()
    {
        Settings = FastRetries(discord, new Dictionary<string, string> { ["Discord:WebhookUrl"] = webhook.Url.ToString() }),
    };

    static BatonServerOptions BotOptions(DiscordEmulator discord, string botToken) => new()
    {
        Settings = FastRetries(discord, new Dictionary<string, string> { ["Discord:BotToken"] = botToken, ["Discord:ChannelId"] = discord.ChannelId }),
    };

    static Dictionary<string, string> FastRetries(DiscordEmulator discord, Dictionary<string, string> settings)
    {
        settings["Discord:ApiUrl"] = discord.ApiUrl.ToString();
        settings["Discord:Delivery:FirstRetryInterval"] = "00:00:00.200";
        settings["Discord:Delivery:MaxRetryInterval"] = "00:00:01";
        return settings;
    }

    static async Task<DiscordMessageResult> CompletedAsync(BatonServer server, string idempotencyKey)
    {
        using var timeout = new CancellationTokenSource(Bound);
        var instance = await server.Client.WaitForInstanceCompletionAsync(DiscordMessageKeys.InstanceIdFor(idempotencyKey), getInputsAndOutputs: true, timeout.Token);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, instance.RuntimeStatus);
        return instance.ReadOutputAs<DiscordMessageResult>()!;
    }

    static void AssertNoSecretLogged(BatonServer server, DiscordEmulator discord, EmulatedWebhook webhook)
    {
        Assert.DoesNotContain(server.Logs.Entries, e => (e.Message + e.Values).Contains(webhook.Token, StringComparison.Ordinal));
        Assert.DoesNotContain(server.Logs.Entries, e => (e.Message + e.Values).Contains(discord.BotToken, StringComparison.Ordinal));
    }
}

/// <summary>Stands in for a pipeline step that tells people something: one <see cref="SendNotification"/> call, then done.</summary>
public sealed class NotifyOnceOrchestration : TaskOrchestrator<string, string>
{
    public override async Task<string> RunAsync(TaskOrchestrationContext context, string title)
    {
        await context.CallActivityAsync<bool>(nameof(SendNotification), new Notification("ci-failed", title, "2 tests failed."));
        return "notified";
    }
}
