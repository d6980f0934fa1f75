using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>With keys configured, every management route needs one; probes never do; keys are never echoed or logged.</summary>
public sealed class ApiKeyTests(ApiKeyTests.Fixture fixture) : IClassFixture<ApiKeyTests.Fixture>
{
    public const string CurrentKey = "current-key-0123456789abcdef";
    public const string PreviousKey = "previous-key-0123456789abcdef";

    public sealed class Fixture : ServerFixture
    {
        protected override BatonServerOptions Options => new() { ApiKeys = [CurrentKey, PreviousKey] };
    }

    readonly BatonServer server = fixture.Server;

    [Fact]
    public async Task Request_WithoutKey_Returns401ProblemWithChallenge()
    {
        using var response = await server.Http.GetAsync(server.Api("/instances"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task Request_UnknownInstanceWithoutKey_Returns401NotFound()
    {
        using var response = await server.Http.GetAsync(server.Api("/instances/does-it-exist"));

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("x-api-key", CurrentKey)]
    [InlineData("x-api-key", PreviousKey)]
    [InlineData("Authorization", "Bearer " + CurrentKey)]
    public async Task Request_WithValidKeyHeader_IsServed(string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Api("/instances"));
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Request_WithDurableFunctionsCodeParameter_IsServed()
    {
        using var response = await server.Http.GetAsync(server.Api($"/instances?code={CurrentKey}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("wrong-key-0123456789abcdef")]
    [InlineData("current-key-0123456789abcde")]
    [InlineData("current-key-0123456789abcdefX")]
    [InlineData("CURRENT-KEY-0123456789ABCDEF")]
    public async Task Request_WithWrongKey_Returns401WithoutEchoingIt(string presented)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Api("/instances"));
        request.Headers.Add("x-api-key", presented);

        using var response = await server.Http.SendAsync(request);

        var problem = await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.DoesNotContain(presented, problem.GetRawText());
    }

    [Fact]
    public async Task Start_WithoutKey_StartsNothing()
    {
        var id = "unauthorized-" + Guid.NewGuid().ToString("N");

        using var response = await server.PostJsonAsync(server.Api($"/orchestrators/{nameof(Orchestrations.HelloSequenceOrchestration)}/{id}"), null);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Null(await server.Client.GetInstanceAsync(id));
    }

    [Fact]
    public async Task ManagementPayload_WithCodeParameter_DoesNotCarryTheKey()
    {
        using var response = await server.PostJsonAsync(
            server.Api($"/orchestrators/{nameof(Orchestrations.HelloSequenceOrchestration)}?code={CurrentKey}"), null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.DoesNotContain(CurrentKey, await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(CurrentKey, response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Probe_WithoutKey_IsServed(string path)
    {
        using var response = await server.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Logs_AfterRefusedAndAcceptedRequests_NeverContainAKey()
    {
        var wrong = "leaky-wrong-key-0123456789";
        var request = new HttpRequestMessage(HttpMethod.Get, server.Api($"/instances?code={wrong}"));
        (await server.Http.SendAsync(request)).Dispose();
        (await server.Http.GetAsync(server.Api($"/instances?code={CurrentKey}"))).Dispose();

        var logs = server.Logs.Entries;
        Assert.Contains(logs, l => l.EventId.Id == 9211);
        foreach (var secret in new[] { wrong, CurrentKey, PreviousKey })
            Assert.DoesNotContain(logs, l => l.Message.Contains(secret) || l.Values.Contains(secret));
    }
}
