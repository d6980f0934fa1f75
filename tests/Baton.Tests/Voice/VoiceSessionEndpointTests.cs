using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Baton.Functions.Dashboard;
using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Tests.Dashboard;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Voice;

/// <summary>The recorder page and uploads from a dashboard session: the page needs a member's sign-in and runs under a
/// strict CSP; a cookie-authenticated upload needs the page's anti-forgery token in its header.</summary>
public sealed partial class VoiceSessionEndpointTests(VoiceWebHost host) : IClassFixture<VoiceWebHost>
{
    [Fact]
    public async Task Page_NotSignedIn_RedirectsToSignIn()
    {
        using var browser = new DashboardClient(host.Server.BaseAddress);
        using var response = await browser.Http.GetAsync(VoiceRoutes.Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(DashboardRoutes.SignIn, response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Page_Member_IsServedWithStrictCspAndNoInlineScript()
    {
        using var browser = await SignedInAsync();
        using var response = await browser.Http.GetAsync(VoiceRoutes.Page);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Equal(VoicePage.ContentSecurityPolicy, csp);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal([$"<script src=\"{VoiceRoutes.Script}\" defer>"], ScriptTags().Matches(html).Select(m => m.Value));
        Assert.DoesNotContain("<style", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains(VoiceWebHost.Member, html, StringComparison.Ordinal);

        using var script = await browser.Http.GetAsync(VoiceRoutes.Script);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        using var style = await browser.Http.GetAsync(VoiceRoutes.Style);
        Assert.Equal("text/css", style.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Upload_SessionWithoutAntiforgeryHeader_Is400AndStartsNothing()
    {
        using var browser = await SignedInAsync();
        var requests = await host.CountRequestsAsync();
        using var response = await browser.Http.PostAsync(VoiceRoutes.Upload, await WavAsync());
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(requests, await host.CountRequestsAsync());
    }

    [Fact]
    public async Task Upload_SessionWithForgedToken_Is400AndStartsNothing()
    {
        using var browser = await SignedInAsync();
        var requests = await host.CountRequestsAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, VoiceRoutes.Upload) { Content = await WavAsync() };
        request.Headers.Add(VoiceCallers.AntiforgeryHeader, "CfDJ8forged");
        using var response = await browser.Http.SendAsync(request);
        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(requests, await host.CountRequestsAsync());
    }

    [Fact]
    public async Task Upload_SessionWithPageToken_Is202SubmittedByTheMember()
    {
        using var browser = await SignedInAsync();
        var page = await browser.Http.GetStringAsync(VoiceRoutes.Page);
        var token = WebUtility.HtmlDecode(CsrfMeta().Match(page).Groups[1].Value);
        using var request = new HttpRequestMessage(HttpMethod.Post, VoiceRoutes.Upload) { Content = await WavAsync() };
        request.Headers.Add(VoiceCallers.AntiforgeryHeader, token);

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var instance = await host.Server.Client.GetInstanceAsync(VoiceIds.InstanceIdFor(id), getInputsAndOutputs: true);
        Assert.Equal(VoiceWebHost.Member, instance!.ReadInputAs<VoiceRequest>()!.SubmittedBy);
        using var status = await browser.Http.GetAsync(VoiceRoutes.Status(id));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    async Task<DashboardClient> SignedInAsync()
    {
        var browser = new DashboardClient(host.Server.BaseAddress);
        using var landed = await browser.SignInAsync();
        Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
        return browser;
    }

    async Task<ByteArrayContent> WavAsync()
    {
        var content = new ByteArrayContent(await File.ReadAllBytesAsync(await host.Audio.SpeechWavAsync()));
        content.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        return content;
    }

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTags();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\">")]
    private static partial Regex CsrfMeta();
}
