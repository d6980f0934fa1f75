using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Baton.Demo.JiraEmulator;

/// <summary>
/// A local, stateful Jira Cloud: the REST v3 subset <c>JiraClient</c> calls (issues, comments, transitions, remote links,
/// enhanced JQL search), served by Kestrel on loopback with basic auth checked, 429s injected on request, and signed
/// admin webhooks (REST v2 shape) sent on every transition. State is arranged through this class, as a person would on
/// the site, or through the API, as Baton does.
/// </summary>
public sealed partial class JiraEmulator : IAsyncDisposable
{
    readonly object gate = new();
    readonly Dictionary<string, EmulatedJiraIssue> issues = new(StringComparer.OrdinalIgnoreCase);
    readonly List<string> requests = [];
    int nextId = 10000;
    int pendingFaults;
    int faultStatus = 429;
    TimeSpan faultRetryAfter;
    WebApplication? app;

    /// <summary>The site root (ends with <c>/</c>): use it as <c>Jira__BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>The account API calls must authenticate as.</summary>
    public string Email { get; set; } = "baton@example.com";

    /// <summary>The account's API token.</summary>
    public string ApiToken { get; set; } = "jira-emulator-token";

    /// <summary>The workflow's transitions; by default one per status, named after it.</summary>
    public List<EmulatedTransition> Transitions { get; } =
    [
        new("11", "To Do", "To Do"),
        new("21", "Ready to build", "Ready to build"),
        new("31", "In Progress", "In Progress"),
        new("41", "Done", "Done"),
    ];

    /// <summary>"METHOD /path" of every authenticated request, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (gate) return [.. requests]; }
    }

    /// <summary>Starts listening on 127.0.0.1 (<paramref name="port"/> 0 picks a free one) and returns <see cref="BaseUrl"/>.</summary>
    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (app is not null) throw new InvalidOperationException("The emulator is already started.");
        (app, var address) = await EmulatorHost.StartAsync(port, web =>
        {
            web.Use(ServeAsync);
            MapRoutes(web);
        }, cancellationToken);
        BaseUrl = new Uri(address + "/");
        return BaseUrl;
    }

    /// <summary>The next <paramref name="times"/> API calls answer <paramref name="status"/> (429 carries
    /// <c>Retry-After</c> of <paramref name="retryAfter"/>).</summary>
    public void FailNext(int times, int status = 429, TimeSpan? retryAfter = null)
    {
        lock (gate)
        {
            pendingFaults = times;
            faultStatus = status;
            faultRetryAfter = retryAfter ?? TimeSpan.FromSeconds(1);
        }
    }

    /// <summary>Creates an issue as a person would, in <paramref name="status"/>; returns its key.</summary>
    public string CreateIssue(string projectKey, string summary, string description, string status = "To Do")
    {
        lock (gate) return Add(projectKey, summary, Baton.Activities.Jira.Adf.FromText(description), status).Key;
    }

    /// <summary>The issue as held now, or null.</summary>
    public EmulatedJiraIssue? Issue(string key)
    {
        lock (gate) return issues.GetValueOrDefault(key);
    }

    /// <summary>Moves an issue to <paramref name="status"/> as a person would, sending the webhook.</summary>
    public void Transition(string key, string status)
    {
        EmulatedJiraIssue issue;
        lock (gate) issue = issues.GetValueOrDefault(key) ?? throw new ArgumentException($"No issue {key}.", nameof(key));
        Move(issue, status);
    }

    EmulatedJiraIssue Add(string projectKey, string summary, JsonObject description, string status)
    {
        var id = (nextId++).ToString(CultureInfo.InvariantCulture);
        var number = issues.Values.Count(i => i.ProjectKey.Equals(projectKey, StringComparison.OrdinalIgnoreCase)) + 1;
        var issue = new EmulatedJiraIssue(id, $"{projectKey.ToUpperInvariant()}-{number}", projectKey.ToUpperInvariant(), summary, description, status);
        issues[issue.Key] = issue;
        return issue;
    }

    /// <summary>Counts the call, checks basic auth (401 as Jira answers it), and serves an injected fault if one is due.</summary>
    async Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Email}:{ApiToken}"));
        if (!string.Equals(context.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
        {
            await ErrorAsync(context, 401, "Client must be authenticated to access this resource.");
            return;
        }
        int? fault = null;
        lock (gate)
        {
            requests.Add($"{context.Request.Method} {context.Request.Path}");
            if (pendingFaults > 0)
            {
                pendingFaults--;
                fault = faultStatus;
            }
        }
        if (fault is { } status)
        {
            if (status == 429) context.Response.Headers.RetryAfter = ((long)Math.Ceiling(faultRetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(context, status, status == 429 ? "Rate limit exceeded." : "Injected failure.");
            return;
        }
        await next(context);
    }

    static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new JsonObject { ["errorMessages"] = new JsonArray(message), ["errors"] = new JsonObject() });
    }

    public async ValueTask DisposeAsync()
    {
        await webhooks.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }
}
