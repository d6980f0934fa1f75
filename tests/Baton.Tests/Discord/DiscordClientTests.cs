using System.Text.Json.Nodes;
using Baton.Activities.Discord;
using Baton.Activities.Notifications;
using Baton.Failures;

namespace Baton.Tests.Discord;

/// <summary><see cref="DiscordClient"/> against the Discord emulator over loopback HTTP: posting, editing, nonces, auth.</summary>
public sealed class DiscordClientTests
{
    static JsonObject Message(string title = "PR ready") =>
        DiscordMessages.Render(new Notification("pr-ready", title, "acme/widgets#12 is ready for review", "https://github.com/acme/widgets/pull/13"));

    [Fact]
    public async Task ExecuteWebhook_RenderedNotification_StoresEmbedAndReturnsItsId()
    {
        await using var harness = await DiscordHarness.StartAsync();

        var posted = await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None);

        var stored = Assert.Single(harness.Emulator.Messages);
        Assert.Equal(stored.Id, posted.Id);
        Assert.Equal(harness.Emulator.ChannelId, posted.ChannelId);
        Assert.Equal(harness.Webhook.Id, stored.WebhookId);
        Assert.Equal("PR ready", stored.Title);
        Assert.Equal("https://github.com/acme/widgets/pull/13", stored.Body["embeds"]![0]!["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task EditWebhookMessage_PostedMessage_KeepsIdAndRecordsTheVersionBefore()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var posted = await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message("Gate waiting"), CancellationToken.None);

        var edited = await harness.Client.EditWebhookMessageAsync(harness.ClientWebhook, posted.Id, Message("Approved by octocat"), CancellationToken.None);

        var stored = Assert.Single(harness.Emulator.Messages);
        Assert.Equal(posted.Id, edited.Id);
        Assert.Equal("Approved by octocat", stored.Title);
        Assert.Equal("Gate waiting", Assert.Single(stored.Versions)["embeds"]![0]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateMessage_SameNonceTwice_PostsOneMessage()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var nonce = DiscordMessageKeys.NonceFor("issue:acme/widgets#12:pr-ready:PR ready");

        var first = await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), nonce, CancellationToken.None);
        var again = await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), nonce, CancellationToken.None);

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(nonce, Assert.Single(harness.Emulator.Messages).Nonce);
    }

    [Fact]
    public async Task CreateMessage_DifferentNonces_PostsTwoMessages()
    {
        await using var harness = await DiscordHarness.StartAsync();

        await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), "nonce-one", CancellationToken.None);
        await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), "nonce-two", CancellationToken.None);

        Assert.Equal(2, harness.Emulator.Messages.Count);
    }

    [Fact]
    public async Task EditMessage_BotMessage_ReplacesItsEmbed()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var posted = await harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message("Question"), "n1", CancellationToken.None);

        await harness.Client.EditMessageAsync(harness.Emulator.ChannelId, posted.Id, Message("Answered"), CancellationToken.None);

        Assert.Equal("Answered", Assert.Single(harness.Emulator.Messages).Title);
    }

    [Fact]
    public async Task CreateMessage_WrongBotToken_FailsAsAuthFailedWithoutTheToken()
    {
        await using var harness = await DiscordHarness.StartAsync(new Dictionary<string, string?> { ["Discord:BotToken"] = "not-the-bot-token.secret" });

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), "n1", CancellationToken.None));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
        Assert.Equal(401, failure.StatusCode);
        Assert.DoesNotContain("not-the-bot-token.secret", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Entries, e => (e.Message + e.Values).Contains("not-the-bot-token.secret", StringComparison.Ordinal));
        Assert.Empty(harness.Emulator.Messages);
    }

    [Fact]
    public async Task ExecuteWebhook_WrongWebhookToken_FailsAsAuthFailedAndNamesNoToken()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var forged = new DiscordWebhook(harness.Webhook.Id, "forged-webhook-token-value");

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() => harness.Client.ExecuteWebhookAsync(forged, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.AuthFailed, failure.FailureClass);
        Assert.Contains($"webhooks/{harness.Webhook.Id}/***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("forged-webhook-token-value", failure.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(harness.Logs.Entries, e => (e.Message + e.Values).Contains("forged-webhook-token-value", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditWebhookMessage_UnknownMessage_FailsAsPermanent()
    {
        await using var harness = await DiscordHarness.StartAsync();

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.EditWebhookMessageAsync(harness.ClientWebhook, "123456789", Message(), CancellationToken.None));

        Assert.Equal(FailureClass.Permanent, failure.FailureClass);
        Assert.Equal(404, failure.StatusCode);
    }

    [Fact]
    public async Task ExecuteWebhook_Outage_FailsAsTransientAndLogsNoSecret()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Faults.Outage = true;

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.Transient, failure.FailureClass);
        Assert.Equal(503, failure.StatusCode);
        harness.AssertNoSecretIn(failure.ToString());
    }

    [Fact]
    public async Task ExecuteWebhook_NothingListening_FailsAsTransient()
    {
        await using var harness = await DiscordHarness.StartAsync();
        await harness.Emulator.DisposeAsync();

        var failure = await Assert.ThrowsAsync<DiscordApiException>(() =>
            harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, Message(), CancellationToken.None));

        Assert.Equal(FailureClass.Transient, failure.FailureClass);
        Assert.Null(failure.StatusCode);
        harness.AssertNoSecretIn(failure.ToString());
    }

    [Fact]
    public async Task CreateMessage_NotASnowflakeChannel_IsRefusedBeforeAnyRequest()
    {
        await using var harness = await DiscordHarness.StartAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.CreateMessageAsync("general", Message(), "n1", CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => harness.Client.CreateMessageAsync(harness.Emulator.ChannelId, Message(), new string('n', 26), CancellationToken.None));

        Assert.Empty(harness.Emulator.Requests);
    }

    [Fact]
    public async Task BulkOverwriteGlobalCommands_AsBot_ReplacesTheCommands()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var commands = new JsonArray(new JsonObject { ["name"] = "baton", ["description"] = "Baton", ["type"] = 1 });

        await harness.Client.BulkOverwriteGlobalCommandsAsync(harness.Emulator.ApplicationId, commands, CancellationToken.None);

        Assert.Equal("baton", Assert.Single(harness.Emulator.Commands)!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task EditOriginalInteractionResponse_AfterADeferredResponse_EditsTheOriginalMessage()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.TrackInteraction("1300000000000000001", "interaction-token-value");
        using (var http = new HttpClient())
        {
            using var callback = await http.PostAsync(new Uri(harness.Emulator.ApiUrl, "interactions/1300000000000000001/interaction-token-value/callback"),
                new StringContent("""{"type":5}""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(System.Net.HttpStatusCode.NoContent, callback.StatusCode);
        }

        await harness.Client.EditOriginalInteractionResponseAsync(harness.Emulator.ApplicationId, "interaction-token-value",
            new JsonObject { ["content"] = "Approved by octocat" }, CancellationToken.None);

        Assert.Equal("Approved by octocat", Assert.Single(harness.Emulator.Messages).Content);
        Assert.DoesNotContain(harness.Logs.Entries, e => (e.Message + e.Values).Contains("interaction-token-value", StringComparison.Ordinal));
    }
}
