using System.Net;
using Baton.Functions.Dashboard;

namespace Baton.Tests.Dashboard;

/// <summary>Which connections may set the trusted identity header.</summary>
public sealed class ForwardAuthTests
{
    [Theory]
    [InlineData("exact IPv4", "10.0.0.5", new[] { "10.0.0.5" }, true)]
    [InlineData("IPv4 mapped to IPv6", "::ffff:10.0.0.5", new[] { "10.0.0.5" }, true)]
    [InlineData("inside a network", "10.0.0.77", new[] { "10.0.0.0/24" }, true)]
    [InlineData("outside a network", "10.0.1.77", new[] { "10.0.0.0/24" }, false)]
    [InlineData("another address", "10.0.0.6", new[] { "10.0.0.5" }, false)]
    [InlineData("loopback not listed", "127.0.0.1", new[] { "10.0.0.5" }, false)]
    [InlineData("garbage entry", "10.0.0.5", new[] { "not-an-address" }, false)]
    [InlineData("IPv6 exact", "2001:db8::1", new[] { "2001:db8::1" }, true)]
    public void IsTrustedProxy_Cases(string name, string remote, string[] proxies, bool trusted)
    {
        Assert.True(trusted == ForwardAuthHandler.IsTrustedProxy(IPAddress.Parse(remote), proxies), name);
    }
}
