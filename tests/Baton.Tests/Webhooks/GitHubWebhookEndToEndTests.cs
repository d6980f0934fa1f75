using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Orchestrations;
using Baton.Orchestrations.Conductor;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Tests.Webhooks;

public sealed class GitHubWebhookServerFixture : ServerFixture
{
    public const string Secret = "primary webhook secret";
    public const string RotatedSecret = "the secret being rotated out";
    public const long MaxPayloadBytes = 64 * 1024;

    protected override BatonServerOptions Options => new()
    {
        Settings = new Dictionary<string, string>
        {
            ["GitHub:WebhookSecret"] = Secret,
            ["GitHub:WebhookSecrets:0"] = RotatedSecret,
            ["GitHub:MaxPayloadBytes"] = MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        },
    };

    /// <summary>No conductor is configured here: a stand-in under its instance id counts the wakes it gets.</summary>
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await Server.StartAsync(nameof(RecordWakesOrchestration), ConductorEvents.ConductorInstanceId);
    }
}

/// <summary>Signed deliveries over real HTTP into the real host and engine (SQLite).</summary>
public sealed class GitHubWebhookEndToEndTests(GitHubWebhookServerFixture fixture) : IClassFixture<GitHubWebhookServerFixture>
{
    BatonServer Server => fixture.Server;

    static byte[] IssueLabeled => WebhookPayloads.IssueLabeled;

    [Fact]
    public async Task Post_SignedDelivery_Returns202StartsItsRoutingInstanceAndWakesTheConductor()
    {
        var before = await SettledAsync();
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("recorded", receipt.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(nameof(GitHubRouteKind.IssueChanged), receipt.RootElement.GetProperty("route").GetString());
        var instanceId = RouteGitHubDeliveryOrchestration.InstanceIdFor(deliveryId);
        Assert.Equal(instanceId, receipt.RootElement.GetProperty("instanceId").GetString());

        var after = await EventuallyAsync(s => s.Routed == before.Routed + 1 && s.Wakes.Count == before.Wakes.Count + 1);
        Assert.StartsWith("issues.labeled baton-test/widget#1 @ 20", after.Wakes.Last);   // with the routing instance's send time
        var routing = await Server.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true);
        Assert.Equal((OrchestrationRuntimeStatus.Completed, 1), (routing!.RuntimeStatus, routing.ReadOutputAs<int>()));
    }

    [Fact]
    public async Task Post_SameDeliveryTwice_SecondIsDuplicateAndSignalsNothing()
    {
        var deliveryId = NewDeliveryId();
        var before = await SettledAsync();
        using (var first = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled))
            Assert.Equal("recorded", (await BatonServer.ReadJsonAsync(first)).RootElement.GetProperty("outcome").GetString());
        await EventuallyAsync(s => s.Routed == before.Routed + 1 && s.Wakes.Count == before.Wakes.Count + 1);
        var routed = await SettledAsync();

        using var second = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(second);
        Assert.Equal("duplicate", receipt.RootElement.GetProperty("outcome").GetString());
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 1001 && e.Values.Contains(deliveryId, StringComparison.Ordinal));
        Assert.Equal(routed, await SettledAsync());
    }

    [Fact]
    public async Task Post_IssueClosed_EndsThatIssuesOrchestration()
    {
        var issue = ConductorEvents.IssueInstanceId(new Baton.Orchestrations.Conductor.IssueRef("baton-test", "closing", 20));
        await Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(WaitForIssueClosedOrchestration), null,
            new StartOrchestrationOptions { InstanceId = issue });

        using var response = await PostAsync(GitHubEvent.Issues, NewDeliveryId(), WebhookPayloads.IssueClosed("baton-test/closing", 20, "octo-closer"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var closed = await Server.Client.WaitForInstanceCompletionAsync(issue, getInputsAndOutputs: true).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("closed by octo-closer", closed.ReadOutputAs<string>());
    }

    [Fact]
    public async Task Post_Burst_EveryDeliveryIsRoutedAndWakesTheConductor()
    {
        const int deliveries = 200;
        var before = await SettledAsync();
        var body = IssueLabeled;

        var outcomes = await Task.WhenAll(Enumerable.Range(0, deliveries).Select(async _ =>
        {
            using var response = await PostAsync(GitHubEvent.Issues, NewDeliveryId(), body);
            using var receipt = await BatonServer.ReadJsonAsync(response);
            return receipt.RootElement.GetProperty("outcome").GetString();
        }));

        Assert.All(outcomes, o => Assert.Equal("recorded", o));
        // Each delivery wakes the conductor; the conductor skips the wakes its current board read already answers
        // (ConductorOrchestrationTests), so a burst costs it a few rounds.
        await EventuallyAsync(s => s.Routed == before.Routed + deliveries && s.Wakes.Count == before.Wakes.Count + deliveries);
    }

    [Fact]
    public async Task Post_RotatedSecret_IsAccepted()
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled, secret: GitHubWebhookServerFixture.RotatedSecret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("recorded", (await BatonServer.ReadJsonAsync(response)).RootElement.GetProperty("outcome").GetString());
    }

    [Theory]
    [InlineData("a secret nobody configured")]
    [InlineData(null)]
    public async Task Post_BadOrMissingSignature_Returns401AndRecordsNothing(string? secret)
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled, secret: secret, sign: secret is not null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await AssertNotRecordedAsync(deliveryId);
    }

    [Fact]
    public async Task Post_BodyChangedAfterSigning_Returns401()
    {
        var deliveryId = NewDeliveryId();
        var body = IssueLabeled;
        var signature = GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret);
        body[^2] = (byte)' ';

        using var response = await SendAsync(GitHubEvent.Issues, deliveryId, body, signature);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await AssertNotRecordedAsync(deliveryId);
    }

    [Theory]
    [InlineData("{\"action\": \"opened\", ")]
    [InlineData("{\"action\": \"opened\"}")]
    [InlineData("null")]
    public async Task Post_MalformedJson_Returns400AndRecordsNothing(string json)
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, Encoding.UTF8.GetBytes(json));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertNotRecordedAsync(deliveryId);
    }

    [Theory]
    [InlineData(GitHubWebhookRequest.EventHeader)]
    [InlineData(GitHubWebhookRequest.DeliveryHeader)]
    public async Task Post_MissingGitHubHeader_Returns400(string header)
    {
        var body = IssueLabeled;
        using var request = WebhookRequests.Delivery(GitHubEvent.Issues, NewDeliveryId(), body, GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret));
        request.Headers.Remove(header);

        using var response = await Server.Http.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(header, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Post_OverSizeLimit_Returns413AndRecordsNothing()
    {
        var deliveryId = NewDeliveryId();
        var body = Encoding.UTF8.GetBytes("{\"padding\": \"" + new string('x', (int)GitHubWebhookServerFixture.MaxPayloadBytes) + "\"}");

        using var response = await PostAsync("push", deliveryId, body);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
        await AssertNotRecordedAsync(deliveryId);
    }

    [Fact]
    public async Task Post_FormEncoded_Returns415()
    {
        var body = "payload=%7B%7D"u8.ToArray();
        using var request = WebhookRequests.Delivery(GitHubEvent.Issues, NewDeliveryId(), body, GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await Server.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("push")]
    [InlineData("label")]
    [InlineData(GitHubEvent.Issues)]
    public async Task Post_UnroutedEvent_Returns202IgnoredAndRecordsNothing(string gitHubEvent)
    {
        var deliveryId = NewDeliveryId();
        var body = gitHubEvent switch
        {
            "push" => WebhookPayloads.Push,
            "label" => WebhookPayloads.LabelCreated,
            _ => WebhookPayloads.IssueLocked,
        };

        using var response = await PostAsync(gitHubEvent, deliveryId, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("ignored", receipt.RootElement.GetProperty("outcome").GetString());
        await AssertNotRecordedAsync(deliveryId);
        Assert.Contains(Server.Logs.Entries, e => e.EventId.Id == 1002 && e.Values.Contains(deliveryId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_AnyDelivery_NeverLogsSecretOrPayload()
    {
        using var accepted = await PostAsync(GitHubEvent.Issues, NewDeliveryId(), IssueLabeled);
        using var refused = await PostAsync(GitHubEvent.Issues, NewDeliveryId(), IssueLabeled, secret: "wrong");

        var everything = string.Join("\n", Server.Logs.Entries.Select(e => e.Message + e.Values));
        Assert.DoesNotContain(GitHubWebhookServerFixture.Secret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubWebhookServerFixture.RotatedSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(WebhookPayloads.IssueBodyMarker, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_PayloadFile_SignsPostsAndPrintsStatus()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var file = Path.Combine(Server.ContentRoot, "ping.json");
        await File.WriteAllBytesAsync(file, WebhookPayloads.Ping);

        var code = await GitHubReceiveCommand.RunAsync(
            [GitHubEvent.Ping, file, "--url", Server.BaseAddress.ToString(), "--secret", GitHubWebhookServerFixture.Secret], output, error);

        Assert.True(code == 0, error.ToString());
        Assert.StartsWith("202", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("\"route\":\"Ping\"", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_WrongSecret_PrintsRefusalAndFails()
    {
        var output = new StringWriter();
        var file = Path.Combine(Server.ContentRoot, "ping.json");
        await File.WriteAllBytesAsync(file, WebhookPayloads.Ping);

        var code = await GitHubReceiveCommand.RunAsync(
            [GitHubEvent.Ping, file, $"--url={Server.BaseAddress}", "--secret=not it"], output, new StringWriter());

        Assert.Equal(1, code);
        Assert.StartsWith("401", output.ToString(), StringComparison.Ordinal);
    }

    static string NewDeliveryId() => Guid.NewGuid().ToString();

    /// <summary>What has been routed (routing instances finished), what is still being routed, the wakes the routed
    /// deliveries sent, and what the stand-in conductor has received so far.</summary>
    sealed record RoutingState(long Routed, long Routing, long WakesSent, ReceivedWakes Wakes);

    async Task<RoutingState> StateAsync()
    {
        var (routed, routing, wakesSent) = (0L, 0L, 0L);
        var query = new OrchestrationQuery { InstanceIdPrefix = RouteGitHubDeliveryOrchestration.InstanceIdPrefix, FetchInputsAndOutputs = true };
        await foreach (var instance in Server.Client.GetAllInstancesAsync(query))
        {
            if (instance.RuntimeStatus != OrchestrationRuntimeStatus.Completed)
            {
                routing++;
                continue;
            }
            routed++;
            wakesSent += DeliverySignals.For(instance.ReadInputAs<GitHubDelivery>()!).Count(s => s.WakesConductor);
        }
        var conductor = await Server.Client.GetInstanceAsync(ConductorEvents.ConductorInstanceId, getInputsAndOutputs: true);
        return new RoutingState(routed, routing, wakesSent, conductor?.ReadCustomStatusAs<ReceivedWakes>() ?? new ReceivedWakes(0, ""));
    }

    async Task<RoutingState> EventuallyAsync(Func<RoutingState, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = await StateAsync();
            if (condition(state)) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Routing never got there; last {state}.");
            await Task.Delay(50);
        }
    }

    /// <summary>The state once earlier tests' deliveries are all routed and their wakes received. (Several tests post
    /// without waiting for the routing; counting from before it is done would break the next test's sums.)</summary>
    Task<RoutingState> SettledAsync() => EventuallyAsync(s => s.Routing == 0 && s.Wakes.Count == s.WakesSent);

    /// <summary>The delivery id was not recorded: a correct delivery with that id now is recorded, not a duplicate.</summary>
    async Task AssertNotRecordedAsync(string deliveryId)
    {
        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("recorded", receipt.RootElement.GetProperty("outcome").GetString());
    }

    Task<HttpResponseMessage> PostAsync(string gitHubEvent, string deliveryId, byte[] body,
        string? secret = GitHubWebhookServerFixture.Secret, bool sign = true) =>
        SendAsync(gitHubEvent, deliveryId, body, sign ? GitHubSignature.Sign(body, secret!) : null);

    async Task<HttpResponseMessage> SendAsync(string gitHubEvent, string deliveryId, byte[] body, string? signature)
    {
        using var request = WebhookRequests.Delivery(gitHubEvent, deliveryId, body, signature);
        return await Server.Http.SendAsync(request);
    }
}
