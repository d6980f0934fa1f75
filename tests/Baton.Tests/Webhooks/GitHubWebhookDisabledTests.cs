using System.Net;
using System.Text.Json;
using Baton.Functions;
using Baton.Tests.Infrastructure;
using Baton.Webhooks.GitHub;

namespace Baton.Tests.Webhooks;

/// <summary>No secret configured: intake is off, visibly, and refuses every delivery.</summary>
public sealed class GitHubWebhookDisabledTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Post_NoSecretConfigured_Returns503Problem()
    {
        var body = "{\"zen\":\"hi\"}"u8.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, GitHubWebhookFunction.Route) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(GitHubWebhookRequest.EventHeader, GitHubEvent.Ping);
        request.Headers.Add(GitHubWebhookRequest.DeliveryHeader, Guid.NewGuid().ToString());
        request.Headers.Add(GitHubSignature.HeaderName, GitHubSignature.Sign(body, ""));

        using var response = await fixture.Server.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.ServiceUnavailable);
    }

    [Fact]
    public async Task Start_NoSecretConfigured_LogsAndReportsIntakeDisabled()
    {
        Assert.Contains(fixture.Server.Logs.Entries, e => e.EventId.Id == 9902 && e.Values.Contains(GitHubWebhookSetup.FeatureName, StringComparison.Ordinal));

        using var response = await fixture.Server.Http.GetAsync("/readyz");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var feature = body.RootElement.GetProperty("features").EnumerateArray()
            .Single(f => f.GetProperty("name").GetString() == GitHubWebhookSetup.FeatureName);
        Assert.False(feature.GetProperty("enabled").GetBoolean());
    }
}
