using System.Collections.Concurrent;
using Baton.Activities.GitHub;
using Baton.Demo.GitHubEmulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.Tests.Emulator;

/// <summary>A started emulator and the real <c>AddGitHub()</c> client pointed at it, with fast retries.</summary>
public sealed class EmulatorHarness : IAsyncDisposable
{
    readonly ServiceProvider provider;

    EmulatorHarness(GitHubEmulator emulator)
    {
        Emulator = emulator;
        var values = new Dictionary<string, string?>
        {
            ["GitHub:ApiUrl"] = emulator.BaseUrl.ToString(),
            ["GitHub:Token"] = "ghp_emulator-token",
            ["GitHub:Retry:BaseDelay"] = "00:00:00.010",
        };
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(values).Build());
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(TimeProvider.System);
        services.AddGitHub();
        provider = services.BuildServiceProvider();
    }

    public const string Repo = "acme/widgets";

    public GitHubEmulator Emulator { get; }

    public GitHubClient Client => provider.GetRequiredService<GitHubClient>();

    public static async Task<EmulatorHarness> StartAsync()
    {
        var emulator = new GitHubEmulator();
        await emulator.StartAsync(port: 0);
        emulator.CreateRepository(Repo);
        return new EmulatorHarness(emulator);
    }

    public async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}

/// <summary>One webhook as it arrived: its headers and raw body.</summary>
public sealed record ReceivedWebhook(string Event, string Delivery, string? Signature, byte[] Body);

/// <summary>A small Kestrel endpoint that records webhooks and answers with <see cref="Status"/>.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    readonly WebApplication app;
    readonly ConcurrentQueue<ReceivedWebhook> received = new();

    WebhookReceiver(WebApplication app) => this.app = app;

    public int Status { get; set; } = 202;

    public Uri Url => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook");

    public IReadOnlyList<ReceivedWebhook> Received => [.. received];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var receiver = new WebhookReceiver(builder.Build());
        receiver.app.MapPost("/hook", receiver.ReceiveAsync);
        await receiver.app.StartAsync();
        return receiver;
    }

    async Task ReceiveAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var headers = context.Request.Headers;
        received.Enqueue(new ReceivedWebhook(headers["X-GitHub-Event"].ToString(), headers["X-GitHub-Delivery"].ToString(),
            headers["X-Hub-Signature-256"].FirstOrDefault(), body.ToArray()));
        context.Response.StatusCode = Status;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
