using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Dashboard;

/// <summary>Sign-in by a forward-auth proxy's identity header, on a host that trusts this machine as the proxy and has no
/// OAuth app.</summary>
public sealed class DashboardTrustedHeaderTests : IAsyncLifetime
{
    BatonServer server = null!;

    public async Task InitializeAsync() => server = await BatonServer.StartAsync(new BatonServerOptions
    {
        Settings = new Dictionary<string, string>
        {
            ["Dashboard:TrustedHeader"] = DashboardHost.TrustedHeader,
            ["Dashboard:TrustedProxies:0"] = "127.0.0.0/8",
            ["Dashboard:Members:0"] = DashboardHost.Member,
            ["Runner:Embedded"] = "false",
        },
    });

    public async Task DisposeAsync() => await server.DisposeAsync();

    Task<HttpResponseMessage> GetAsync(string path, string? identity)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (identity is not null) request.Headers.Add(DashboardHost.TrustedHeader, identity);
        return server.Http.SendAsync(request);
    }

    [Fact]
    public async Task Home_MemberInHeaderFromTrustedProxy_SeesDashboard()
    {
        var response = await GetAsync("/", "BOB");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<span class=\"who\">BOB</span>", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Live_NonMemberInHeader_Is403Problem()
    {
        await ProblemAssert.IsProblemAsync(await GetAsync("/dashboard/live", DashboardHost.Stranger), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignInWithGitHub_NoOAuthApp_Is404Problem()
    {
        var page = await (await GetAsync("/dashboard/signin", null)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("Sign in with GitHub", page);
        await ProblemAssert.IsProblemAsync(await GetAsync("/dashboard/signin/github", null), HttpStatusCode.NotFound);
    }
}
