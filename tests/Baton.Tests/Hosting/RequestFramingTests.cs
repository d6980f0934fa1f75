using System.Text;
using Baton.Functions;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Hosting;

/// <summary>A host with webhook intake at GitHub's own 25 MB limit and a runner token.</summary>
public sealed class FramingServerFixture : ServerFixture
{
    public const string Secret = "framing webhook secret";
    public const string RunnerToken = "framing-runner-token";

    protected override BatonServerOptions Options => new()
    {
        Settings = new Dictionary<string, string>
        {
            ["GitHub:WebhookSecret"] = Secret,
            ["Runner:Tokens:0"] = RunnerToken,
        },
    };
}

/// <summary>
/// Requests Kestrel itself finds wrong while the endpoint reads the body, sent byte for byte over a raw socket: each
/// gets its own 4xx as problem details (never a 500), and no error or stack trace is logged.
/// </summary>
public sealed class RequestFramingTests(FramingServerFixture fixture) : IClassFixture<FramingServerFixture>
{
    const long WebhookLimit = GitHubWebhookOptions.GitHubMaxPayloadBytes;
    const int RunnerLimit = 1 << 20;
    BatonServer Server => fixture.Server;

    [Fact]
    public async Task Webhook_BrokenChunkFraming_Returns400()
    {
        var head = WebhookHead("push", "Transfer-Encoding: chunked");

        var response = await RawHttp.SendAsync(Server.BaseAddress, head, "zz\r\nabc\r\n0\r\n\r\n"u8.ToArray());

        AssertProblem(400, response);
    }

    [Fact]
    public async Task Webhook_BodyCutShort_IsRefusedWith400AndNoError()
    {
        var head = WebhookHead("push", "Content-Length: 100");

        // The client has hung up, so Kestrel may reset the connection before the answer gets out.
        RawResponse? response = null;
        try
        {
            response = await RawHttp.SendAsync(Server.BaseAddress, head, "{\"zen\":"u8.ToArray(), halfClose: true);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or IOException)
        {
        }

        if (response is not null) AssertProblem(400, response);
        await Server.Logs.WaitForAsync(e => e.EventId.Id == 9904 && e.Values.Contains("StatusCode=400", StringComparison.Ordinal));
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
    }

    [Fact]
    public async Task Webhook_DeclaredBodyNeverArrives_Returns408()
    {
        var head = WebhookHead("push", "Content-Length: 100");

        // Kestrel gives a body 5 s before it holds the rate against it.
        var response = await RawHttp.SendAsync(Server.BaseAddress, head, timeout: TimeSpan.FromSeconds(60));

        AssertProblem(408, response);
    }

    [Fact]
    public async Task Webhook_ChunkedSignedBodyJustUnderLimit_Returns202()
    {
        var body = JsonOfLength(WebhookLimit - 3 * 1024);

        var response = await RawHttp.SendAsync(Server.BaseAddress, SignedWebhookHead(body, "Transfer-Encoding: chunked"), RawHttp.Chunked(body, 4096));

        Assert.True(response.Status == 202, response.Head + "\n" + response.Body);
    }

    [Fact]
    public async Task Webhook_ChunkedSignedBodyAtLimit_Returns202()
    {
        var body = JsonOfLength(WebhookLimit);

        var response = await RawHttp.SendAsync(Server.BaseAddress, SignedWebhookHead(body, "Transfer-Encoding: chunked"), RawHttp.Chunked(body, 16 * 1024));

        Assert.True(response.Status == 202, response.Head + "\n" + response.Body);
    }

    [Theory]
    [InlineData(1, 16 * 1024)]
    [InlineData(1024 * 1024, 16 * 1024)]
    [InlineData(1, 256)]
    public async Task Webhook_ChunkedBodyOverLimit_Returns413(long over, int chunkSize)
    {
        var body = JsonOfLength(WebhookLimit + over);

        var response = await RawHttp.SendAsync(Server.BaseAddress, SignedWebhookHead(body, "Transfer-Encoding: chunked"), RawHttp.Chunked(body, chunkSize));

        AssertProblem(413, response);
    }

    [Fact]
    public async Task Runner_BrokenChunkFraming_Returns400()
    {
        var response = await RawHttp.SendAsync(Server.BaseAddress, RunnerHead("Transfer-Encoding: chunked"), "5\r\n{\"nam\r\nzz\r\n"u8.ToArray());

        AssertProblem(400, response);
    }

    [Theory]
    [InlineData(RunnerLimit + 1)]
    [InlineData(31 * 1024 * 1024)]
    public async Task Runner_ChunkedRegisterOverLimit_Returns413(int length)
    {
        var body = JsonOfLength(length);

        var response = await RawHttp.SendAsync(Server.BaseAddress, RunnerHead("Transfer-Encoding: chunked"), RawHttp.Chunked(body, 16 * 1024));

        AssertProblem(413, response);
    }

    [Fact]
    public async Task Runner_ChunkedRegisterUnderLimit_IsRead()
    {
        var body = Encoding.UTF8.GetBytes("{\"name\":\"framing\",\"agents\":[\"command\"]}");

        var response = await RawHttp.SendAsync(Server.BaseAddress, RunnerHead("Transfer-Encoding: chunked"), RawHttp.Chunked(body, 7));

        Assert.True(response.Status == 200, response.Head + "\n" + response.Body);
    }

    [Fact]
    public async Task ManagementApi_BrokenChunkFraming_Returns400()
    {
        var head = RawHttp.Head("POST", Server.Api("/orchestrators/HelloSequenceOrchestration"), "Content-Type: application/json", "Transfer-Encoding: chunked");

        var response = await RawHttp.SendAsync(Server.BaseAddress, head, "3\r\n{}\r\nxyz\r\n"u8.ToArray());

        AssertProblem(400, response);
    }

    void AssertProblem(int status, RawResponse response)
    {
        Assert.True(response.Status == status, $"expected {status}: {response.Head}\n{response.Body}");
        Assert.True(response.IsProblemDetails, response.Head);
        Assert.Contains($"\"status\":{status}", response.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error);
        Assert.DoesNotContain(Server.Logs.Entries, e => e.Message.Contains("   at ", StringComparison.Ordinal));
    }

    static string WebhookHead(string gitHubEvent, params string[] headers) =>
        RawHttp.Head("POST", GitHubWebhookFunction.Route,
            ["Content-Type: application/json", $"{GitHubWebhookRequest.EventHeader}: {gitHubEvent}", $"{GitHubWebhookRequest.DeliveryHeader}: {Guid.NewGuid()}", .. headers]);

    static string SignedWebhookHead(byte[] body, params string[] headers) =>
        WebhookHead("push", [$"{GitHubSignature.HeaderName}: {GitHubSignature.Sign(body, FramingServerFixture.Secret)}", .. headers]);

    static string RunnerHead(params string[] headers) =>
        RawHttp.Head("POST", "/api/runners/register", ["Content-Type: application/json", $"Authorization: Bearer {FramingServerFixture.RunnerToken}", .. headers]);

    /// <summary>A JSON object of exactly <paramref name="length"/> bytes: <c>{"padding":"xxx…"}</c>.</summary>
    static byte[] JsonOfLength(long length)
    {
        var prefix = "{\"padding\":\""u8;
        var body = new byte[length];
        prefix.CopyTo(body);
        body.AsSpan(prefix.Length, (int)length - prefix.Length - 2).Fill((byte)'x');
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        return body;
    }
}
