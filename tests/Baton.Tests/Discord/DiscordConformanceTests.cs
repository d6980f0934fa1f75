using System.Text.Json.Nodes;
using Baton.Activities.Discord;
using Baton.Activities.Notifications;
using Baton.Hosting;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Discord;

/// <summary>The client and the emulator against Discord's recorded payloads (../shared/fixtures/discord/webhook), read in place.</summary>
public sealed class DiscordConformanceTests
{
    static string Fixture(string name) => Path.Combine(SharedFixtures.Root, "discord", "webhook", name);

    [ConformanceFact]
    public async Task ExecuteWebhook_DocumentedRequestWithEmbed_IsAcceptedAndStoredAsSent()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var request = JsonNode.Parse(await File.ReadAllTextAsync(Fixture("create-message.request-with-embed.json")))!.AsObject();

        var posted = await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, request, CancellationToken.None);

        var stored = Assert.Single(harness.Emulator.Messages);
        Assert.Equal(posted.Id, stored.Id);
        Assert.Equal("Hello, World!", stored.Content);
        Assert.Equal("Hello, Embed!", stored.Title);
    }

    [ConformanceFact]
    public async Task EmulatorMessage_HasEveryFieldOfDiscordsDocumentedMessage()
    {
        await using var harness = await DiscordHarness.StartAsync();
        var documented = JsonNode.Parse(await File.ReadAllTextAsync(Fixture("message.example.json")))!.AsObject();
        using var http = new HttpClient();

        using var response = await http.PostAsync(new Uri(harness.Webhook.Url + "?wait=true"),
            new StringContent("""{"content":"Supa Hot"}""", System.Text.Encoding.UTF8, "application/json"));
        var answered = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

        // Reactions appear only once someone reacts; everything else a fresh message has, the emulator must answer.
        var expected = documented.Select(p => p.Key).Where(k => k != "reactions").Order(StringComparer.Ordinal);
        Assert.Equal(expected, answered.Select(p => p.Key).Where(documented.ContainsKey).Order(StringComparer.Ordinal));
        Assert.Equal(documented["id"]!.GetValueKind(), answered["id"]!.GetValueKind());
    }

    [ConformanceFact]
    public void WebhookObject_ItsUrl_ParsesToItsIdAndToken()
    {
        var webhook = JsonNode.Parse(File.ReadAllText(Fixture("webhook-object.incoming.json")))!.AsObject();
        var (id, token) = (webhook["id"]!.GetValue<string>(), webhook["token"]!.GetValue<string>());

        Assert.True(DiscordWebhook.TryParse($"https://discord.com/api/webhooks/{id}/{token}", out var parsed));

        Assert.Equal(new DiscordWebhook(id, token), parsed);
        Assert.DoesNotContain(token, parsed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_DiscordTokensInSpanUrls_AreReplaced()
    {
        var redacted = RedactApiKeyProcessor.Redact("https://discord.com/api/v10/webhooks/223704706495545344/secret-token/messages/1?wait=true");

        Assert.Equal("https://discord.com/api/v10/webhooks/223704706495545344/REDACTED/messages/1?wait=true", redacted);
        Assert.Equal("https://discord.com/api/v10/interactions/1/REDACTED/callback",
            RedactApiKeyProcessor.Redact("https://discord.com/api/v10/interactions/1/interaction-token/callback"));
    }

    [Fact]
    public async Task Render_EveryKind_IsAcceptedByTheEmulatorsChecks()
    {
        await using var harness = await DiscordHarness.StartAsync();
        harness.Emulator.Buckets.Limit = 100;
        string[] kinds = ["agent-started", "pr-ready", "ci-failed", "self-heal-exhausted", "gate-waiting", "question", "escalation-reminder", "milestone-complete"];
        var huge = new string('x', 10_000);

        foreach (var kind in kinds)
            await harness.Client.ExecuteWebhookAsync(harness.ClientWebhook, DiscordMessages.Render(new Notification(kind, huge, huge, "https://github.com/a/b/pull/1")
            {
                Links = Enumerable.Range(0, 30).Select(i => new NotificationLink(huge[..300], $"https://github.com/a/b/issues/{i}")).ToList(),
                Buttons = Enumerable.Range(0, 25).Select(i => new NotificationButton(huge[..90], $"baton:answer:{i}", "primary")).ToList(),
                Mentions = ["user:222222222222222222"],
            }), CancellationToken.None);

        Assert.Equal(kinds.Length, harness.Emulator.Messages.Count);
    }
}
