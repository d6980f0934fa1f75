using System.Net;
using System.Text;
using Baton.Demo.DiscordEmulator;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.Discord;

namespace Baton.Tests.Discord;

/// <summary>Every bad, missing or stale signature and every malformed body: a 4xx problem answer and no answer raised.</summary>
public sealed class InteractionRefusalTests(InteractionServerFixture fixture) : IClassFixture<InteractionServerFixture>
{
    InteractionSender Sender => fixture.Sender;
    static readonly DiscordPerson Ada = InteractionServerFixture.Ada;

    static string Now => InteractionSender.Timestamp(DateTimeOffset.UtcNow);

    public static TheoryData<string> BadSignatures => ["missing signature", "missing timestamp", "not hex", "wrong length", "other key",
        "signed other body", "body mutated", "stale", "from the future", "timestamp not a number", "signature of another timestamp"];

    [Theory]
    [MemberData(nameof(BadSignatures))]
    public async Task Post_BadSignature_Returns401AndRaisesNothing(string how)
    {
        var escalation = await fixture.OpenEscalationAsync(EscalationActions.Approve, EscalationActions.Stop);
        var body = Encoding.UTF8.GetBytes(Sender.ButtonClick(EscalationIds.ComponentId(EscalationActions.Stop, escalation), Ada));
        var now = Now;
        var (sent, timestamp, signature) = how switch
        {
            "missing signature" => (body, now, null),
            "missing timestamp" => (body, null, Sender.Sign(body, now)),
            "not hex" => (body, now, new string('x', 128)),
            "wrong length" => (body, now, Sender.Sign(body, now)[..126]),
            "other key" => (body, now, DiscordApplicationKey.Generate().Sign(body, now)),
            "signed other body" => (body, now, Sender.Sign(Encoding.UTF8.GetBytes(Sender.ButtonClick("baton:stop:other", Ada)), now)),
            "body mutated" => (Mutated(body), now, Sender.Sign(body, now)),
            "stale" => Signed(body, InteractionSender.Timestamp(DateTimeOffset.UtcNow.AddMinutes(-6))),
            "from the future" => Signed(body, InteractionSender.Timestamp(DateTimeOffset.UtcNow.AddMinutes(6))),
            "timestamp not a number" => Signed(body, "now"),
            "signature of another timestamp" => (body, now, Sender.Sign(body, InteractionSender.Timestamp(DateTimeOffset.UtcNow.AddSeconds(-30)))),
            _ => throw new ArgumentOutOfRangeException(nameof(how)),
        };

        using var response = await Sender.SendSignedAsync(sent, timestamp, signature);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        await fixture.AssertOnlyTheNextAnswerCountsAsync(escalation, Ada);
    }

    (byte[], string?, string?) Signed(byte[] body, string timestamp) => (body, timestamp, Sender.Sign(body, timestamp));

    /// <summary>The same click by someone else: still valid JSON, so only the signature can tell.</summary>
    static byte[] Mutated(byte[] body) =>
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace(Ada.UserId, InteractionServerFixture.Grace.UserId, StringComparison.Ordinal));

    [Fact]
    public async Task Post_UnsignedPing_Returns401()
    {
        using var response = await Sender.SendSignedAsync("""{"id":"1","type":1}"""u8.ToArray(), Now, null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    public static TheoryData<string> MalformedBodies =>
    [
        "not json",
        "",
        "null",
        "[1,2]",
        """{"id":"1","type":"3"}""",
        """{"id":"1","type":3,"data":{"custom_id":"baton:stop:abc"}}""",
        """{"id":"1","type":3,"user":{"id":"100000000000000001"}}""",
        """{"id":"1","type":5,"data":{"custom_id":"baton:answer:abc","components":"x"},"user":{"id":"100000000000000001"}}""",
        """{"id":"1","type":99}""",
        """{"id":"1","type":4,"data":{"name":"baton"},"user":{"id":"100000000000000001"}}""",
        """{"id":"1","type":1""",
    ];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Post_SignedMalformedBody_Returns400(string json)
    {
        using var response = await Sender.SendAsync(Encoding.UTF8.GetBytes(json), Now);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.DoesNotContain("Baton.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_Oversize_Returns413BeforeReadingItAll()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"id":"1","type":1,"pad":"{{new string('a', (int)InteractionServerFixture.MaxPayloadBytes)}}"}""");

        using var response = await Sender.SendAsync(body, Now);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task Post_OversizeChunkedWithoutLength_Returns413()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"id":"1","type":1,"pad":"{{new string('a', 2 * (int)InteractionServerFixture.MaxPayloadBytes)}}"}""");
        var now = Now;
        var head = RawHttp.Head("POST", Baton.Functions.DiscordInteractionsFunction.Route, "Content-Type: application/json",
            "Transfer-Encoding: chunked", $"{DiscordSignature.TimestampHeader}: {now}", $"{DiscordSignature.SignatureHeader}: {Sender.Sign(body, now)}");

        var response = await RawHttp.SendAsync(fixture.Server.BaseAddress, head, RawHttp.Chunked(body, 1000));

        Assert.Equal(413, response.Status);
        Assert.True(response.IsProblemDetails, response.Head);
    }

    [Fact]
    public async Task Post_BrokenChunkFraming_Returns400()
    {
        var head = RawHttp.Head("POST", Baton.Functions.DiscordInteractionsFunction.Route, "Content-Type: application/json",
            "Transfer-Encoding: chunked", $"{DiscordSignature.TimestampHeader}: {Now}", $"{DiscordSignature.SignatureHeader}: {new string('0', 128)}");

        var response = await RawHttp.SendAsync(fixture.Server.BaseAddress, head, "zz\r\n{}\r\n0\r\n\r\n"u8.ToArray());

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Post_SignedButNotJsonContentType_Returns415()
    {
        var body = """{"id":"1","type":1}"""u8.ToArray();
        var now = Now;

        using var response = await Sender.SendSignedAsync(body, now, Sender.Sign(body, now), "text/plain");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Post_Refused_LogsNoKeyOrSignature()
    {
        var body = """{"id":"1","type":1}"""u8.ToArray();
        var signature = DiscordApplicationKey.Generate().Sign(body, Now);

        using var response = await Sender.SendSignedAsync(body, Now, signature);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await fixture.Server.Logs.WaitForAsync(e => e.EventId.Id == 5100);
        Assert.DoesNotContain(fixture.Server.Logs.Entries, e => e.Message.Contains(signature, StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains(Sender.PublicKeyHex, StringComparison.OrdinalIgnoreCase));
    }
}
