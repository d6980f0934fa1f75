using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Baton.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Infrastructure;

/// <summary>How a test wants its host.</summary>
public sealed record BatonServerOptions
{
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Extra configuration, as <c>Section:Key</c> → value (passed on the command line).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>False: no connection string, so the host picks its embedded default under the content root.</summary>
    public bool ExplicitDatabase { get; init; } = true;

    /// <summary>Set: use this PostgreSQL database instead of SQLite.</summary>
    public string? PostgresConnectionString { get; init; }

    /// <summary>Runs last on the host's services, after everything the host and the tests register.</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}

/// <summary>
/// A real Baton host, composed exactly as <c>baton serve</c> composes it, on a free loopback port, with its
/// own SQLite database in a temporary folder and the test orchestrations registered. Logs are captured.
/// </summary>
public sealed class BatonServer : IAsyncDisposable
{
    public const string ManagementBase = "/runtime/webhooks/durabletask";

    readonly WebApplication app;

    BatonServer(WebApplication app, string contentRoot, LogCapture logs)
    {
        this.app = app;
        ContentRoot = contentRoot;
        Logs = logs;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public string ContentRoot { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public LogCapture Logs { get; }
    public IServiceProvider Services => app.Services;

    /// <summary>The engine's client, to set up and inspect state without going through the API under test.</summary>
    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public static async Task<BatonServer> StartAsync(BatonServerOptions? options = null)
    {
        options ??= new BatonServerOptions();
        var contentRoot = Directory.CreateTempSubdirectory("baton-tests-").FullName;
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            "--Durable:Retention:Enabled=false",
            "--Logging:LogLevel:Default=Debug",
            "--Logging:LogLevel:Microsoft=Warning",
        };
        if (options.PostgresConnectionString is { } postgres)
        {
            args.Add("--Durable:Provider=Postgres");
            args.Add($"--Durable:ConnectionString={postgres}");
        }
        else if (options.ExplicitDatabase)
        {
            args.Add($"--Durable:ConnectionString={Path.Combine(contentRoot, "test.db")}");
        }
        args.AddRange(options.ApiKeys.Select((key, i) => $"--Baton:ApiKeys:{i}={key}"));
        args.AddRange(options.Settings.Select(s => $"--{s.Key}={s.Value}"));

        var logs = new LogCapture();
        var app = Program.BuildApp(new HostSettings([.. args])
        {
            ContentRoot = contentRoot,
            Customize = builder =>
            {
                builder.Logging.ClearProviders();
                builder.Logging.AddProvider(logs);
                TestOrchestrations.Register(builder.Services);
                options.ConfigureServices?.Invoke(builder.Services);
            },
        });
        await app.StartAsync();
        await app.Services.DurableWorker().Started.WaitAsync(TimeSpan.FromSeconds(30));
        return new BatonServer(app, contentRoot, logs);
    }

    /// <summary>An absolute URL under the management API's base path.</summary>
    public string Api(string relative) => ManagementBase + relative;

    public Task<HttpResponseMessage> PostJsonAsync(string url, string? json, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Http.SendAsync(request);
    }

    /// <summary>Starts an orchestration over HTTP and returns its instance id (asserting 202).</summary>
    public async Task<string> StartAsync(string orchestrator, string? instanceId = null, string? inputJson = null)
    {
        var url = Api($"/orchestrators/{orchestrator}" + (instanceId is null ? "" : "/" + Uri.EscapeDataString(instanceId)));
        using var response = await PostJsonAsync(url, inputJson);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        using var body = await ReadJsonAsync(response);
        return body.RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Polls the status URL until the instance reaches <paramref name="status"/>; returns the last body.</summary>
    public async Task<JsonDocument> WaitForStatusAsync(string instanceId, string status, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await Http.GetAsync(Api($"/instances/{Uri.EscapeDataString(instanceId)}"));
            var body = await ReadJsonAsync(response);
            var current = body.RootElement.TryGetProperty("runtimeStatus", out var s) ? s.GetString() : null;
            if (current == status) return body;
            body.Dispose();
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Instance {instanceId} did not reach {status}; last status {current}.");
            await Task.Delay(50);
        }
    }

    public static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync());

    public static MediaTypeHeaderValue JsonContentType => new("application/json") { CharSet = "utf-8" };

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(ContentRoot, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finalizer-bound handle; the temp folder is cleaned by the OS later.
        }
    }
}

/// <summary>An xunit fixture that shares one server across the tests of a class.</summary>
public class ServerFixture : IAsyncLifetime
{
    public BatonServer Server { get; private set; } = null!;

    protected virtual BatonServerOptions Options => new();

    /// <summary>For fixtures that must prepare something (a database) before the host starts.</summary>
    protected virtual Task<BatonServerOptions> CreateOptionsAsync() => Task.FromResult(Options);

    public virtual async Task InitializeAsync() => Server = await BatonServer.StartAsync(await CreateOptionsAsync());

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
