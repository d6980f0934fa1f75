using System.Net;
using System.Text;
using Baton.Functions;
using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Orchestrations.Features;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Jira;

/// <summary>
/// <c>POST /api/jira/webhook</c> on a real host: signed admin webhooks and automation rules' shared secret (with
/// rotation) are accepted; an issue entering its ready status starts its feature once, however often it is delivered;
/// anything unproven or malformed gets a 4xx problem and changes nothing.
/// </summary>
public sealed class JiraWebhookIntakeTests(JiraWebhookIntakeTests.Fixture fixture) : IClassFixture<JiraWebhookIntakeTests.Fixture>
{
    const string Secret = "jira-primary";
    const string OldSecret = "jira-old";
    const string Header = "X-Baton-Secret";

    public sealed class Fixture : ServerFixture
    {
        protected override BatonServerOptions Options => new()
        {
            Settings = new Dictionary<string, string>
            {
                ["Jira:WebhookSecret"] = Secret,
                ["Jira:WebhookSecrets:0"] = OldSecret,
                ["Jira:Projects:SHOP:Repository"] = "acme/shop",
                ["Jira:Projects:TES:Repository"] = "acme/tes",
                ["Jira:Projects:TES:ReadyStatus"] = "In Progress",
            },
        };
    }

    BatonServer Server => fixture.Server;

    [Fact]
    public void StartUp_ReportsIntakeOn_AndTheClientAndPlanningOffWithTheirReasons()
    {
        var features = Server.Services.GetRequiredService<HostFeatures>().All.ToDictionary(f => f.Name);

        Assert.True(features[JiraWebhookSetup.WebhookFeature].Enabled);
        Assert.Contains("2 secret(s)", features[JiraWebhookSetup.WebhookFeature].Detail, StringComparison.Ordinal);
        Assert.False(features[JiraWebhookSetup.ClientFeature].Enabled);
        Assert.Contains("Jira__ApiToken", features[JiraWebhookSetup.ClientFeature].Detail, StringComparison.Ordinal);
        Assert.False(features[JiraWebhookSetup.PlanningFeature].Enabled);
        Assert.DoesNotContain(features.Values, f => f.Detail.Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignedReadyTransition_StartsTheFeatureOnce()
    {
        var body = JiraWebhookPayloads.StatusChanged("SHOP-11", "To Do", "Ready to build");

        var first = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-11"));
        var again = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-11"));
        var other = await SendAsync(JiraWebhookPayloads.Signed(body, OldSecret, "d-11b"));

        Assert.Equal((HttpStatusCode.Accepted, "recorded"), first);
        Assert.Equal((HttpStatusCode.Accepted, "duplicate"), again);
        Assert.Equal((HttpStatusCode.Accepted, "recorded"), other);
        var started = await RoutedAsync("d-11");
        var second = await RoutedAsync("d-11b");
        Assert.Equal("true", started.SerializedOutput);
        Assert.Equal("false", second.SerializedOutput);
        Assert.NotNull(await Server.Client.GetInstanceAsync(FeatureOrchestration.InstanceIdFor("SHOP-11")));
    }

    [Fact]
    public async Task AutomationRule_WithTheSharedSecret_StartsTheFeature()
    {
        var body = JiraWebhookPayloads.Automation("SHOP-12", "Ready to build");

        var first = await SendAsync(JiraWebhookPayloads.FromRule(body, Header, OldSecret, "rule-7"));
        var again = await SendAsync(JiraWebhookPayloads.FromRule(body, Header, Secret, "rule-7"));

        Assert.Equal((HttpStatusCode.Accepted, "recorded"), first);
        Assert.Equal((HttpStatusCode.Accepted, "duplicate"), again);
        Assert.Equal("true", (await RoutedAsync("rule:rule-7:SHOP-12:Ready to build")).SerializedOutput);
    }

    [Fact]
    public async Task OtherStatus_IsAcknowledgedAndIgnored()
    {
        var body = JiraWebhookPayloads.StatusChanged("SHOP-13", "Ready to build", "In Progress");

        var answer = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-13"));

        Assert.Equal((HttpStatusCode.Accepted, "ignored"), answer);
        Assert.Null(await Server.Client.GetInstanceAsync(RouteJiraDeliveryOrchestration.InstanceIdFor("d-13")));
        Assert.Contains(Server.Logs.Entries, e => e.Message.Contains("Jira delivery d-13", StringComparison.Ordinal) && e.Message.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unsigned_MisSigned_OrWrongSharedSecret_Is401AndChangesNothing()
    {
        var body = JiraWebhookPayloads.StatusChanged("SHOP-14", "To Do", "Ready to build");

        using var unsigned = await Server.Http.SendAsync(JiraWebhookPayloads.Signed(body, null, "d-14a"));
        using var misSigned = await Server.Http.SendAsync(JiraWebhookPayloads.Signed(body, "not-the-secret", "d-14b"));
        using var wrongRule = await Server.Http.SendAsync(JiraWebhookPayloads.FromRule(body, Header, "guess", "rule-14"));

        foreach (var response in new[] { unsigned, misSigned, wrongRule })
            await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Null(await Server.Client.GetInstanceAsync(FeatureOrchestration.InstanceIdFor("SHOP-14")));
    }

    [Fact]
    public async Task ACommentOnAReadyIssue_StartsNothing()
    {
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["webhookEvent"] = "comment_created",
            ["issue"] = System.Text.Json.Nodes.JsonNode.Parse(JiraWebhookPayloads.Automation("SHOP-17", "Ready to build"))!["issue"]!.DeepClone(),
            ["comment"] = new System.Text.Json.Nodes.JsonObject { ["id"] = "1", ["body"] = "Looks good" },
        }.ToJsonString();

        var answer = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-17"));

        Assert.Equal((HttpStatusCode.Accepted, "ignored"), answer);
        Assert.Null(await Server.Client.GetInstanceAsync(FeatureOrchestration.InstanceIdFor("SHOP-17")));
    }

    [Fact]
    public async Task IgnoredDelivery_LogsPayloadTextBoundedAndEscaped()
    {
        var status = "Review\n" + new string('x', 5000);
        var body = JiraWebhookPayloads.StatusChanged("SHOP-16", "To Do", status);

        var answer = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-16"));

        Assert.Equal((HttpStatusCode.Accepted, "ignored"), answer);
        var line = Assert.Single(Server.Logs.Entries, e => e.Message.Contains("Jira delivery d-16", StringComparison.Ordinal));
        Assert.DoesNotContain('\n', line.Message);
        Assert.True(line.Message.Length < 1000, line.Message);
    }

    [Theory]
    [InlineData("{not json", HttpStatusCode.BadRequest)]
    [InlineData("[1,2]", HttpStatusCode.BadRequest)]
    [InlineData("{\"issue\":{\"key\":\"not a key\"}}", HttpStatusCode.BadRequest)]
    [InlineData("{\"issue\":{\"key\":7}}", HttpStatusCode.BadRequest)]
    public async Task Malformed_Is4xx(string body, HttpStatusCode expected)
    {
        using var response = await Server.Http.SendAsync(JiraWebhookPayloads.Signed(body, Secret, "d-bad"));

        await ProblemAssert.IsProblemAsync(response, expected);
    }

    [Fact]
    public async Task WrongContentType_TooLarge_OrNoDeliveryId_Are4xx()
    {
        var body = JiraWebhookPayloads.StatusChanged("SHOP-15", "To Do", "Ready to build");
        var text = JiraWebhookPayloads.Signed(body, Secret, "d-15a");
        text.Content!.Headers.ContentType = new("text/plain");
        var huge = new string(' ', 2 * 1024 * 1024) + body;

        using var wrongType = await Server.Http.SendAsync(text);
        using var tooLarge = await Server.Http.SendAsync(JiraWebhookPayloads.Signed(huge, Secret, "d-15b"));
        using var noId = await Server.Http.SendAsync(JiraWebhookPayloads.Signed(body, Secret, deliveryId: null));

        await ProblemAssert.IsProblemAsync(wrongType, HttpStatusCode.UnsupportedMediaType);
        await ProblemAssert.IsProblemAsync(tooLarge, HttpStatusCode.RequestEntityTooLarge);
        await ProblemAssert.IsProblemAsync(noId, HttpStatusCode.BadRequest);
        Assert.Null(await Server.Client.GetInstanceAsync(FeatureOrchestration.InstanceIdFor("SHOP-15")));
    }

    /// <summary>A delivery recorded from Jira Cloud (REST v2 shape, description as wiki markup) routes: project TES is set
    /// up so that its "In Progress" is the ready status.</summary>
    [ConformanceFact]
    public async Task RecordedV2Delivery_Routes()
    {
        var body = await File.ReadAllTextAsync(Path.Combine(SharedFixtures.Root, "jira", "webhooks", "webhook-issue-updated-started-working.json"));

        var answer = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "recorded-41"));

        Assert.Equal((HttpStatusCode.Accepted, "recorded"), answer);
        Assert.Equal("true", (await RoutedAsync("recorded-41")).SerializedOutput);
    }

    /// <summary>Every recorded Jira Cloud delivery (issues created, updated, assigned, deleted; comments) is accepted with
    /// 202: none of them is a ready transition of a configured project, so each is acknowledged and ignored, or recorded.</summary>
    [ConformanceFact]
    public async Task EveryRecordedDelivery_IsAccepted()
    {
        var files = Directory.GetFiles(Path.Combine(SharedFixtures.Root, "jira", "webhooks"), "*.json");
        Assert.NotEmpty(files);

        foreach (var file in files)
        {
            var body = await File.ReadAllTextAsync(file);
            var (status, outcome) = await SendAsync(JiraWebhookPayloads.Signed(body, Secret, "recorded-" + Path.GetFileNameWithoutExtension(file)));

            Assert.True(status == HttpStatusCode.Accepted, $"{Path.GetFileName(file)}: {(int)status}");
            Assert.Contains(outcome, new[] { "ignored", "recorded" });
        }
    }

    async Task<(HttpStatusCode, string?)> SendAsync(HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await Server.Http.SendAsync(request);
            using var receipt = await BatonServer.ReadJsonAsync(response);
            return (response.StatusCode, receipt.RootElement.TryGetProperty("outcome", out var outcome) ? outcome.GetString() : null);
        }
    }

    async Task<OrchestrationMetadata> RoutedAsync(string deliveryId) =>
        await Server.Client.WaitForInstanceCompletionAsync(RouteJiraDeliveryOrchestration.InstanceIdFor(deliveryId), getInputsAndOutputs: true)
            .WaitAsync(TimeSpan.FromSeconds(30));
}
