using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Http;

using DurableTaskClient = Microsoft.DurableTask.Client.DurableTaskClient;

/// <summary>What the management API's handlers use, resolved once: the host's Durable Task SDK client (the default
/// one, <c>AddDurableTaskClient</c>), the orchestrators it may start, and the storage provider for histories.</summary>
sealed class ManagementApiServices(
    DurableTaskClient client,
    IServiceProvider services,
    IOptionsMonitor<DurableTaskRegistry> registries,
    IOptions<DurableHttpOptions> http,
    IOptions<DurableOptions> durable,
    TimeProvider time,
    ILoggerFactory loggers)
{
    readonly Lazy<HashSet<string>> orchestrators = new(() =>
    {
        // The SDK worker's registry (the default worker's), plus what runs elsewhere; TaskName ignores case, so this does.
        var names = new HashSet<string>(http.Value.Orchestrators, StringComparer.OrdinalIgnoreCase);
        names.UnionWith(registries.Get(Microsoft.Extensions.Options.Options.DefaultName).GetOrchestrators().Select(o => o.Key.Name));
        return names;
    });

    public DurableTaskClient Client { get; } = client;
    public DurableHttpOptions Options { get; } = http.Value;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = loggers.CreateLogger("Baton.Durable.Http.ManagementApi");

    /// <summary>A request body becomes a stored payload, so it gets the engine's payload limit.</summary>
    public long MaxBodyBytes { get; } = durable.Value.Limits.MaxPayloadBytes;

    public bool IsOrchestrator(string name) => orchestrators.Value.Contains(name);

    /// <summary>The client for a request that carries an <c>Idempotency-Key</c>: only Baton's providers keep them.</summary>
    public BatonDurableTaskClient KeyedClient() => Client is BatonDurableTaskClient { SupportsIdempotencyKeys: true } baton
        ? baton
        : throw HttpProblem.BadRequest(
            $"This host's Durable Task backend does not support the '{RequestValues.IdempotencyKeyHeader}' header; send the request without it.");

    /// <summary>Histories are read from the storage provider (<c>AddOrchestrationService</c>): the SDK client has no call for them.</summary>
    public IOrchestrationServiceClient Histories =>
        services.GetService<IOrchestrationServiceClient>()
        ?? throw new InvalidOperationException("The management API reads histories from the registered IOrchestrationServiceClient (AddOrchestrationService).");
}
