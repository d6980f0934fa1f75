using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Dashboard;

/// <summary>Who gets in: GitHub sign-in through the emulator's OAuth routes, members against non-members, the session
/// cookie's attributes, a tampered OAuth state, and the trusted header only from a trusted proxy.</summary>
public sealed class DashboardSignInTests(DashboardHost host) : IClassFixture<DashboardHost>
{
    [Fact]
    public async Task Home_NotSignedIn_RedirectsToSignInPage()
    {
        using var client = host.NewClient();

        var response = await client.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/dashboard/signin", response.Headers.Location!.OriginalString);
        var signIn = await client.FollowAsync("/dashboard/signin");
        var page = await signIn.Content.ReadAsStringAsync();
        Assert.Contains("Sign in with GitHub", page);
        Assert.Contains($"href=\"{host.GitHub.BaseUrl}\"", page);
    }

    [Fact]
    public async Task SignIn_Member_SeesDashboardWithHttpOnlyLaxSessionCookie()
    {
        host.GitHub.OAuthLogin = DashboardHost.Member;
        using var client = host.NewClient();

        var response = await client.SignInAsync();

        var page = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<h2>Queue</h2>", page);
        Assert.Contains(DashboardHost.Member, page);
        Assert.StartsWith("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
        var session = client.Hops.SelectMany(h => h.Headers.TryGetValues("Set-Cookie", out var v) ? v : [])
            .Single(c => c.StartsWith("baton.session=", StringComparison.Ordinal));
        Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", session, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("secure", session.Replace("samesite", "", StringComparison.OrdinalIgnoreCase), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_NonMember_GetsNotAMemberPageAndNoLiveData()
    {
        host.GitHub.OAuthLogin = DashboardHost.Stranger;
        using var client = host.NewClient();

        var response = await client.SignInAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("Not a member", await response.Content.ReadAsStringAsync());
        await ProblemAssert.IsProblemAsync(await client.Http.GetAsync("/dashboard/live"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task SignIn_TamperedState_FailsWithoutSession()
    {
        host.GitHub.OAuthLogin = DashboardHost.Member;
        using var client = host.NewClient();
        var challenge = await client.Http.GetAsync("/dashboard/signin/github");
        var authorize = challenge.Headers.Location!.ToString().Replace("state=", "state=x", StringComparison.Ordinal);

        var response = await client.FollowAsync(authorize);

        Assert.Contains("did not complete", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain(client.Cookies.GetAllCookies(), c => c.Name == "baton.session");
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Live_NotSignedIn_Is401Problem()
    {
        using var client = host.NewClient();

        await ProblemAssert.IsProblemAsync(await client.Http.GetAsync("/dashboard/live"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TrustedHeader_FromUntrustedAddress_IsIgnored()
    {
        using var client = host.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(DashboardHost.TrustedHeader, DashboardHost.Approver);

        var response = await client.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }

    [Fact]
    public async Task SignOut_WithoutAntiforgeryToken_Is400AndKeepsSession()
    {
        host.GitHub.OAuthLogin = DashboardHost.Member;
        using var client = host.NewClient();
        await client.SignInAsync();

        var response = await client.PostFormAsync("/dashboard/signout", new Dictionary<string, string>());

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task SignOut_WithToken_EndsSession()
    {
        host.GitHub.OAuthLogin = DashboardHost.Member;
        using var client = host.NewClient();
        var page = await (await client.SignInAsync()).Content.ReadAsStringAsync();

        var response = await client.PostFormAsync("/dashboard/signout",
            new Dictionary<string, string> { ["__csrf"] = DashboardClient.TokenIn(page) });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.Http.GetAsync("/")).StatusCode);
    }
}
