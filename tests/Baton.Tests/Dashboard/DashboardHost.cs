using System.Net;
using System.Text.RegularExpressions;
using Baton.Demo.GitHubEmulator;
using Baton.Orchestrations.Escalations;
using Baton.Tests.Infrastructure;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Dashboard;

/// <summary>
/// A Baton host with the dashboard on, signing in through the GitHub emulator's OAuth routes: members <c>alice</c>
/// (an approver) and <c>bob</c>; <c>mallory</c> can sign in to GitHub but is no member. The trusted header
/// <c>X-Forwarded-User</c> is honoured only from <see cref="TrustedProxy"/>, which tests on loopback are not.
/// </summary>
public sealed class DashboardHost : IAsyncLifetime
{
    public const string Approver = "alice";
    public const string Member = "bob";
    public const string Stranger = "mallory";
    public const string Repository = "acme/widgets";
    public const string TrustedHeader = "X-Forwarded-User";
    public const string TrustedProxy = "192.0.2.10";
    const string ClientId = "Iv1.dashboard-test";
    const string ClientSecret = "dashboard-test-secret";

    public GitHubEmulator GitHub { get; } = new();
    public BatonServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var github = await GitHub.StartAsync();
        GitHub.CreateRepository(Repository);
        GitHub.AddOAuthApp(ClientId, ClientSecret);
        Server = await BatonServer.StartAsync(new BatonServerOptions
        {
            Settings = new Dictionary<string, string>
            {
                ["GitHub:ApiUrl"] = github.ToString(),
                ["GitHub:Token"] = "ghp_dashboard-tests",
                ["Dashboard:OAuthUrl"] = github.ToString(),
                ["Dashboard:ClientId"] = ClientId,
                ["Dashboard:ClientSecret"] = ClientSecret,
                ["Dashboard:Members:0"] = Approver,
                ["Dashboard:Members:1"] = Member,
                ["Dashboard:TrustedHeader"] = TrustedHeader,
                ["Dashboard:TrustedProxies:0"] = TrustedProxy,
                ["Pipeline:Approvers:0"] = Approver,
                ["Runner:Embedded"] = "false",
            },
            ConfigureServices = services => services.Configure<DurableTaskRegistry>(Microsoft.Extensions.Options.Options.DefaultName,
                registry => registry.AddOrchestrator<StandInEscalationOrchestration>()),
        });
    }

    /// <summary>A browser-like client: keeps cookies, follows no redirect by itself.</summary>
    public DashboardClient NewClient() => new(Server.BaseAddress);

    /// <summary>Opens an escalation (the stand-in) and waits until it shows as waiting.</summary>
    public async Task<string> OpenEscalationAsync(EscalationRequest request)
    {
        var key = Guid.NewGuid().ToString("N")[..16];
        await Server.Client.ScheduleNewOrchestrationInstanceAsync(nameof(StandInEscalationOrchestration), request,
            new Microsoft.DurableTask.StartOrchestrationOptions { InstanceId = EscalationIds.InstanceIdFor(key) });
        await Server.WaitForStatusAsync(EscalationIds.InstanceIdFor(key), "Running");
        return key;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await GitHub.DisposeAsync();
    }
}

/// <summary>Cookies kept like a browser's; redirects followed by hand so each hop can be seen.</summary>
public sealed partial class DashboardClient(Uri baseAddress) : IDisposable
{
    readonly HttpClientHandler handler = new() { AllowAutoRedirect = false, CookieContainer = new CookieContainer() };
    HttpClient? http;

    public HttpClient Http => http ??= new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public CookieContainer Cookies => handler.CookieContainer;

    /// <summary>Every response of the last <see cref="FollowAsync"/>, in order.</summary>
    public List<HttpResponseMessage> Hops { get; } = [];

    /// <summary>GETs <paramref name="url"/> and follows up to eight redirects (across hosts, as a browser would).</summary>
    public async Task<HttpResponseMessage> FollowAsync(string url)
    {
        Hops.Clear();
        var next = new Uri(Http.BaseAddress!, url);
        for (var hop = 0; hop < 8; hop++)
        {
            var response = await Http.GetAsync(next);
            Hops.Add(response);
            if ((int)response.StatusCode is < 300 or >= 400) return response;
            next = new Uri(next, response.Headers.Location!);
        }
        throw new InvalidOperationException("Too many redirects.");
    }

    /// <summary>Signs in with GitHub as whoever the emulator has signed in, and returns the page that ends on.</summary>
    public Task<HttpResponseMessage> SignInAsync() => FollowAsync("/dashboard/signin/github");

    /// <summary>The anti-forgery token of the first form on <paramref name="html"/>.</summary>
    public static string TokenIn(string html) => CsrfField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new InvalidOperationException("No anti-forgery field on the page.");

    public Task<HttpResponseMessage> PostFormAsync(string url, IReadOnlyDictionary<string, string> fields) =>
        Http.PostAsync(url, new FormUrlEncodedContent(fields));

    [GeneratedRegex("name=\"__csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();

    public void Dispose()
    {
        http?.Dispose();
        handler.Dispose();
    }
}

/// <summary>A minimal escalation with the real one's contract (a waiting status with its request; the first answer settles
/// it, output and status carrying the outcome), so these tests need no issue to comment on. The browser test runs the real
/// <c>EscalationOrchestration</c> inside the pipeline.</summary>
public sealed class StandInEscalationOrchestration : TaskOrchestrator<EscalationRequest, EscalationOutcome>
{
    public override async Task<EscalationOutcome> RunAsync(TaskOrchestrationContext context, EscalationRequest request)
    {
        var waiting = new EscalationStatus("waiting", request, context.CurrentUtcDateTime);
        context.SetCustomStatus(waiting);
        var answer = await context.WaitForExternalEvent<EscalationAnswer>(EscalationEvents.Answer);
        var outcome = new EscalationOutcome(answer.Action, answer.Text, answer.By, answer.Via, answer.At)
        {
            GitHubLogin = answer.GitHubLogin,
            HeadSha = answer.HeadSha,
        };
        context.SetCustomStatus(waiting with { State = "resolved", Outcome = outcome });
        return outcome;
    }
}
