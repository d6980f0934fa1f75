using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Baton.Durable;
using Baton.Functions;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

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
}

/// <summary>Signed deliveries over real HTTP into the real host and engine (SQLite).</summary>
public sealed class GitHubWebhookEndToEndTests(GitHubWebhookServerFixture fixture) : IClassFixture<GitHubWebhookServerFixture>
{
    BatonServer Server => fixture.Server;

    static byte[] IssueLabeled => File.ReadAllBytes(GitHubFixtures.Payload(GitHubEvent.Issues, "labeled.payload.json"));

    [Fact]
    public async Task Post_SignedDelivery_Returns202AndRecordsRoute()
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("recorded", receipt.RootElement.GetProperty("outcome").GetString());
        Assert.Equal(nameof(GitHubRouteKind.IssueChanged), receipt.RootElement.GetProperty("route").GetString());
        var instanceId = GitHubDelivery.InstanceIdFor(deliveryId);
        Assert.Equal(instanceId, receipt.RootElement.GetProperty("instanceId").GetString());

        using var status = await Server.WaitForStatusAsync(instanceId, "Completed");
        Assert.Equal(nameof(RouteGitHubDeliveryOrchestration), status.RootElement.GetProperty("name").GetString());
        Assert.Equal(nameof(GitHubRouteKind.IssueChanged), status.RootElement.GetProperty("output").GetString());
        var input = status.RootElement.GetProperty("input");
        Assert.Equal("Codertocat/Hello-World", input.GetProperty("repository").GetString());
        Assert.Equal(1, input.GetProperty("issueNumber").GetInt32());
        Assert.Equal(GitHubAction.Labeled, input.GetProperty("action").GetString());
    }

    [Fact]
    public async Task Post_SameDeliveryTwice_SecondIsDuplicateWithOneInstance()
    {
        var deliveryId = NewDeliveryId();
        using (var first = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled))
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        await Server.Client.WaitForInstanceCompletionAsync(GitHubDelivery.InstanceIdFor(deliveryId)).WaitAsync(TimeSpan.FromSeconds(30));

        using var second = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled);

        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(second);
        Assert.Equal("duplicate", receipt.RootElement.GetProperty("outcome").GetString());
        Assert.Single(await InstancesAsync(deliveryId));
        var history = await Server.Client.GetHistoryAsync(GitHubDelivery.InstanceIdFor(deliveryId));
        Assert.Single(history, e => e.Type == Baton.Durable.History.HistoryEventType.ExecutionStarted);
    }

    [Fact]
    public async Task Post_RotatedSecret_IsAccepted()
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled, secret: GitHubWebhookServerFixture.RotatedSecret);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Single(await InstancesAsync(deliveryId));
    }

    [Theory]
    [InlineData("a secret nobody configured")]
    [InlineData(null)]
    public async Task Post_BadOrMissingSignature_Returns401AndRecordsNothing(string? secret)
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(GitHubEvent.Issues, deliveryId, IssueLabeled, secret: secret, sign: secret is not null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Empty(await InstancesAsync(deliveryId));
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
        Assert.Empty(await InstancesAsync(deliveryId));
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
        Assert.Empty(await InstancesAsync(deliveryId));
    }

    [Theory]
    [InlineData(GitHubWebhookRequest.EventHeader)]
    [InlineData(GitHubWebhookRequest.DeliveryHeader)]
    public async Task Post_MissingGitHubHeader_Returns400(string header)
    {
        var body = IssueLabeled;
        using var request = Request(GitHubEvent.Issues, NewDeliveryId(), body, GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret));
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
        Assert.Empty(await InstancesAsync(deliveryId));
    }

    [Fact]
    public async Task Post_FormEncoded_Returns415()
    {
        var body = "payload=%7B%7D"u8.ToArray();
        using var request = Request(GitHubEvent.Issues, NewDeliveryId(), body, GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret));
        request.Content!.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await Server.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("push", "payload.json")]
    [InlineData("label", "created.payload.json")]
    [InlineData(GitHubEvent.Issues, "locked.payload.json")]
    public async Task Post_UnroutedEvent_Returns202IgnoredAndRecordsNothing(string gitHubEvent, string file)
    {
        var deliveryId = NewDeliveryId();

        using var response = await PostAsync(gitHubEvent, deliveryId, File.ReadAllBytes(GitHubFixtures.Payload(gitHubEvent, file)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var receipt = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("ignored", receipt.RootElement.GetProperty("outcome").GetString());
        Assert.Empty(await InstancesAsync(deliveryId));
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
        Assert.DoesNotContain("accidently spelled", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receive_PayloadFile_SignsPostsAndPrintsStatus()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var file = GitHubFixtures.Payload(GitHubEvent.Ping, "payload.json");

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
        var file = GitHubFixtures.Payload(GitHubEvent.Ping, "payload.json");

        var code = await GitHubReceiveCommand.RunAsync(
            [GitHubEvent.Ping, file, $"--url={Server.BaseAddress}", "--secret=not it"], output, new StringWriter());

        Assert.Equal(1, code);
        Assert.StartsWith("401", output.ToString(), StringComparison.Ordinal);
    }

    static string NewDeliveryId() => Guid.NewGuid().ToString();

    async Task<IReadOnlyList<OrchestrationMetadata>> InstancesAsync(string deliveryId)
    {
        var page = await Server.Client.QueryInstancesAsync(new Baton.Durable.Storage.InstanceQuery { InstanceIdPrefix = GitHubDelivery.InstanceIdFor(deliveryId) });
        return page.Instances;
    }

    Task<HttpResponseMessage> PostAsync(string gitHubEvent, string deliveryId, byte[] body,
        string? secret = GitHubWebhookServerFixture.Secret, bool sign = true) =>
        SendAsync(gitHubEvent, deliveryId, body, sign ? GitHubSignature.Sign(body, secret!) : null);

    async Task<HttpResponseMessage> SendAsync(string gitHubEvent, string deliveryId, byte[] body, string? signature)
    {
        using var request = Request(gitHubEvent, deliveryId, body, signature);
        return await Server.Http.SendAsync(request);
    }

    static HttpRequestMessage Request(string gitHubEvent, string deliveryId, byte[] body, string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, GitHubWebhookFunction.Route)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(GitHubWebhookRequest.EventHeader, gitHubEvent);
        request.Headers.Add(GitHubWebhookRequest.DeliveryHeader, deliveryId);
        if (signature is not null) request.Headers.Add(GitHubSignature.HeaderName, signature);
        return request;
    }
}
