using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.GitHub;

/// <summary>A response the fake serves: status, headers and body, as recorded or written by a test.</summary>
public sealed record FakeResponse(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Json(int status, string body, params (string Name, string Value)[] headers) =>
        new(status, body, headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase));
}

/// <summary>What the fake received, for assertions.</summary>
public sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// GitHub's REST API as a small Kestrel app on a loopback port. Routes are matched by method, path and query
/// (<c>per_page</c> aside, and only the parameters a route names); each route serves its responses in order and then
/// repeats the last. Recorded Link headers are rewritten from api.github.com to this server.
/// </summary>
public sealed class FakeGitHubServer : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<ReceivedRequest> received = new();
    readonly List<Route> routes = [];

    sealed record Route(string Method, string Path, Dictionary<string, string> Query, Func<ReceivedRequest, FakeResponse> Respond);

    FakeGitHubServer(WebApplication app) => this.app = app;

    public Uri BaseAddress => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");

    public IReadOnlyList<ReceivedRequest> Received => received.ToArray();

    public static async Task<FakeGitHubServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new FakeGitHubServer(builder.Build());
        server.app.Run(server.HandleAsync);
        await server.app.StartAsync();
        return server;
    }

    /// <summary>Serves <paramref name="responses"/> in order at <paramref name="pathAndQuery"/>, then keeps repeating the last.</summary>
    public void Serve(string method, string pathAndQuery, params FakeResponse[] responses)
    {
        var served = 0;
        Handle(method, pathAndQuery, _ => responses[Math.Min(Interlocked.Increment(ref served) - 1, responses.Length - 1)]);
    }

    public void Handle(string method, string pathAndQuery, Func<ReceivedRequest, FakeResponse> respond)
    {
        var (path, query) = Split(pathAndQuery);
        lock (routes) routes.Insert(0, new Route(method.ToUpperInvariant(), path, query, respond));
    }

    /// <summary>Serves every exchange of a recorded scenario at its recorded method, path and query.</summary>
    public void ServeRecorded(IEnumerable<RecordedExchange> exchanges)
    {
        foreach (var exchange in exchanges)
            Serve(exchange.Method, exchange.PathAndQuery, new FakeResponse(exchange.Status, exchange.Body, exchange.Headers));
    }

    public int Count(string method, string path) =>
        Received.Count(r => r.Method == method && Split(r.PathAndQuery).Path == path);

    async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var request = new ReceivedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            await reader.ReadToEndAsync());
        received.Enqueue(request);

        var (path, query) = Split(request.PathAndQuery);
        Route? route;
        lock (routes)
            route = routes.FirstOrDefault(r => r.Method == request.Method && r.Path == path
                && r.Query.All(q => query.TryGetValue(q.Key, out var value) && value == q.Value));
        var response = route?.Respond(request)
            ?? FakeResponse.Json(404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}""");

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            if (name is "content-length" or "connection" or "transfer-encoding" || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = value.Replace("https://api.github.com/", BaseAddress.ToString(), StringComparison.Ordinal);
        }
        if (response.Body.Length > 0 && response.Status != 304) await context.Response.WriteAsync(response.Body);
    }

    static (string Path, Dictionary<string, string> Query) Split(string pathAndQuery)
    {
        var at = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var query = at < 0 ? new Dictionary<string, string>() : QueryHelpers.ParseQuery(pathAndQuery[at..])
            .Where(q => q.Key != "per_page")
            .ToDictionary(q => q.Key, q => q.Value.ToString());
        return (at < 0 ? pathAndQuery : pathAndQuery[..at], query);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
