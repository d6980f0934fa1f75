using System.Net;
using Baton.Tests.Infrastructure;
using Baton.Tests.ManagementApi;

namespace Baton.Tests.Hosting;

/// <summary>With API keys configured, <c>/readyz</c> tells anyone whether the host is ready; only a caller with a key
/// gets the detail (store, features: paths, counts of keys and secrets, limits).</summary>
public sealed class ReadinessDetailTests(ApiKeyTests.Fixture fixture) : IClassFixture<ApiKeyTests.Fixture>
{
    readonly BatonServer server = fixture.Server;

    [Fact]
    public async Task Readyz_WithoutKey_SaysReadyAndNothingMore()
    {
        using var response = await server.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("ready", body.RootElement.GetProperty("status").GetString());
        Assert.False(body.RootElement.TryGetProperty("features", out _), text);
        Assert.False(body.RootElement.TryGetProperty("store", out _), text);
        Assert.DoesNotContain(server.ContentRoot, text, StringComparison.Ordinal);
        Assert.DoesNotContain("key(s)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_WithKey_GivesTheDetail()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("x-api-key", ApiKeyTests.CurrentKey);

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        var features = body.RootElement.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Contains("2 API key(s) accepted", features["managementApi"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(body.RootElement.GetProperty("store").GetProperty("ready").GetBoolean());
    }

    [Fact]
    public async Task Readyz_WithWrongKey_SaysReadyAndNothingMore()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("x-api-key", "not-the-key-0123456789abcdef");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.False(body.RootElement.TryGetProperty("features", out _));
    }
}

/// <summary>No key configured: loopback callers are let in, but not through a reverse proxy on this machine.</summary>
public sealed class LoopbackExemptionTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    readonly BatonServer server = fixture.Server;

    [Theory]
    [InlineData("Forwarded", "for=192.0.2.60;proto=http;by=127.0.0.1")]
    [InlineData("X-Forwarded-For", "192.0.2.60")]
    [InlineData("X-Real-IP", "192.0.2.60")]
    [InlineData("X-Forwarded-For", "127.0.0.1")]
    public async Task ManagementApi_LoopbackCallerWithForwardingHeader_Returns401(string header, string value)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, server.Api("/instances"));
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await server.Http.SendAsync(request);

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ManagementApi_LoopbackCallerWithoutForwardingHeader_IsServed()
    {
        using var response = await server.Http.GetAsync(server.Api("/instances"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_ThroughAProxy_SaysReadyAndNothingMore()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/readyz");
        request.Headers.Add("X-Forwarded-For", "192.0.2.60");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.False(body.RootElement.TryGetProperty("features", out _));
        Assert.Empty(body.RootElement.GetProperty("warnings").EnumerateArray());
    }
}

/// <summary>A host reachable from other machines with no management API key says so at start-up and on /readyz.</summary>
public sealed class ReachableWithoutKeyTests : IAsyncLifetime
{
    BatonServer server = null!;

    public async Task InitializeAsync() =>
        server = await BatonServer.StartAsync(new BatonServerOptions { Settings = new Dictionary<string, string> { ["urls"] = "http://0.0.0.0:0" } });

    public async Task DisposeAsync() => await server.DisposeAsync();

    [Fact]
    public async Task Startup_NonLoopbackAddressNoKey_WarnsInLogAndReadyz()
    {
        var warning = await server.Logs.WaitForAsync(e => e.EventId.Id == 9905);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, warning.Level);
        Assert.Contains("0.0.0.0", warning.Message, StringComparison.Ordinal);

        // 0.0.0.0 is where it listens, not an address to call.
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.BaseAddress.Port}") };
        using var response = await http.GetAsync("/readyz");

        using var body = await BatonServer.ReadJsonAsync(response);
        var warnings = body.RootElement.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()).ToList();
        Assert.Contains(warnings, w => w!.Contains("Baton__ApiKeys__0", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://127.0.0.1:7071", true)]
    [InlineData("http://localhost:7071", true)]
    [InlineData("http://[::1]:7071", true)]
    [InlineData("http://0.0.0.0:7071", false)]
    [InlineData("http://[::]:7071", false)]
    [InlineData("http://+:80", false)]
    [InlineData("http://*:80", false)]
    [InlineData("http://192.0.2.5:80", false)]
    public void IsLoopback_Address_Classifies(string address, bool expected)
    {
        Assert.Equal(expected, Baton.Hosting.ManagementApiSetup.IsLoopback(address));
    }
}

/// <summary>The loopback rule on a non-loopback address is what <see cref="ReachableWithoutKeyTests"/> warns about;
/// a loopback host stays quiet.</summary>
public sealed class LoopbackHostTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public void Startup_LoopbackOnly_DoesNotWarn()
    {
        Assert.Contains(fixture.Server.Logs.Entries, e => e.EventId.Id == 9900);
        Assert.DoesNotContain(fixture.Server.Logs.Entries, e => e.EventId.Id == 9905);
    }
}
