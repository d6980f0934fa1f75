using System.Net;
using Baton.Durable.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Baton.Tests.ManagementApi;

/// <summary>
/// The caller-address rules, checked on the filter directly: a real loopback test server cannot receive a
/// request from a non-loopback address.
/// </summary>
public sealed class ApiKeyFilterTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    public async Task Invoke_NoKeysLoopbackCaller_Passes(string address)
    {
        var status = await InvokeAsync(keys: [], IPAddress.Parse(address));

        Assert.Equal(StatusCodes.Status200OK, status);
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("10.1.2.3")]
    [InlineData("2001:db8::1")]
    public async Task Invoke_NoKeysRemoteCaller_Returns401(string address)
    {
        var status = await InvokeAsync(keys: [], IPAddress.Parse(address));

        Assert.Equal(StatusCodes.Status401Unauthorized, status);
    }

    [Fact]
    public async Task Invoke_NoKeysUnknownCallerAddress_Returns401()
    {
        var status = await InvokeAsync(keys: [], remote: null);

        Assert.Equal(StatusCodes.Status401Unauthorized, status);
    }

    [Fact]
    public async Task Invoke_KeysConfiguredLoopbackCallerWithoutKey_Returns401()
    {
        var status = await InvokeAsync(keys: ["a-configured-key-123456"], IPAddress.Loopback);

        Assert.Equal(StatusCodes.Status401Unauthorized, status);
    }

    [Fact]
    public async Task Invoke_KeysConfiguredRemoteCallerWithKey_Passes()
    {
        var status = await InvokeAsync(keys: ["a-configured-key-123456"], IPAddress.Parse("192.0.2.10"), key: "a-configured-key-123456");

        Assert.Equal(StatusCodes.Status200OK, status);
    }

    static async Task<int> InvokeAsync(string[] keys, IPAddress? remote, string? key = null)
    {
        var options = new DurableHttpOptions();
        foreach (var k in keys) options.ApiKeys.Add(k);
        var filter = new ApiKeyFilter(Options.Create(options), NullLogger<ApiKeyFilter>.Instance);
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        http.Connection.RemoteIpAddress = remote;
        http.Response.Body = new MemoryStream();
        if (key is not null) http.Request.Headers[ApiKeyFilter.HeaderName] = key;

        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http),
            _ => ValueTask.FromResult<object?>(Results.Ok()));

        await ((IResult)result!).ExecuteAsync(http);
        return http.Response.StatusCode;
    }
}
