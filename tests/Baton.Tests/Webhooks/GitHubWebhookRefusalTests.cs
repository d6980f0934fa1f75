using System.Net;
using System.Text;
using Baton.Functions;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>What a refused delivery leaves behind: a bounded, escaped log line, and an answer naming no .NET type.</summary>
public sealed class GitHubWebhookRefusalTests(GitHubWebhookServerFixture fixture) : IClassFixture<GitHubWebhookServerFixture>
{
    BatonServer Server => fixture.Server;

    [Fact]
    public async Task Post_UnsignedWithHostileDeliveryId_LogsItBoundedAndEscaped()
    {
        var marker = Guid.NewGuid().ToString("N");
        var deliveryId = marker + "\u001b[2J\u001b[31mforged\u001b[0m" + new string('a', 30_000);
        var head = RawHttp.Head("POST", GitHubWebhookFunction.Route, "Content-Type: application/json",
            $"{GitHubWebhookRequest.EventHeader}: push", $"{GitHubWebhookRequest.DeliveryHeader}: {deliveryId}", "Content-Length: 2");

        var response = await RawHttp.SendAsync(Server.BaseAddress, head, "{}"u8.ToArray());

        Assert.Equal(401, response.Status);
        var line = await Server.Logs.WaitForAsync(e => e.EventId.Id == 1003 && e.Message.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain('\u001b', line.Message);
        Assert.Contains("\\u001b[2J", line.Message, StringComparison.Ordinal);
        Assert.True(line.Message.Length < 500, $"{line.Message.Length} characters");
    }

    [Theory]
    [InlineData(GitHubEvent.Issues, "{\"action\":\"opened\",\"issue\":5}")]
    [InlineData(GitHubEvent.Issues, "{\"action\":\"opened\",\"issue\":{\"number\":\"one\"}}")]
    [InlineData("push", "[1,2]")]
    [InlineData("push", "{\"ref\":")]
    public async Task Post_SignedWrongShape_Returns400NamingNoDotNetType(string gitHubEvent, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        using var request = WebhookRequests.Delivery(gitHubEvent, Guid.NewGuid().ToString(), body,
            GitHubSignature.Sign(body, GitHubWebhookServerFixture.Secret));

        using var response = await Server.Http.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("Baton.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }
}
