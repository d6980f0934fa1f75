using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Dashboard;

/// <summary>Behind a TLS-terminating proxy the host sees http; an https <c>Baton__PublicUrl</c> still makes every
/// dashboard cookie Secure.</summary>
public sealed class DashboardPublicUrlTests
{
    [Fact]
    public async Task SignIn_HttpsPublicUrl_CorrelationCookieIsSecure()
    {
        await using var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["Baton:PublicUrl"] = "https://baton.example.test",
                ["Dashboard:OAuthUrl"] = "https://github.example.test",
                ["Dashboard:ClientId"] = "Iv1.public-url",
                ["Dashboard:ClientSecret"] = "public-url-secret",
                ["Dashboard:Members:0"] = DashboardHost.Member,
                ["Runner:Embedded"] = "false",
            },
        });
        using var client = new DashboardClient(server.BaseAddress);

        var response = await client.Http.GetAsync("/dashboard/signin/github");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("https://github.example.test/login/oauth/authorize?", response.Headers.Location!.ToString());
        var correlation = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Correlation.", StringComparison.Ordinal));
        Assert.Contains("; secure", correlation, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", correlation, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Host_NoSignInConfigured_DashboardIsOffWithOneLine()
    {
        await using var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string> { ["Dashboard:Members:0"] = DashboardHost.Member, ["Runner:Embedded"] = "false" },
        });

        var response = await server.Http.GetAsync("/");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains(server.Logs.Entries, e => e.EventId.Id == 9902 && e.Message.Contains("dashboard", StringComparison.Ordinal));
    }
}
