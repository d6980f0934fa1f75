using Baton.Durable.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Http;

/// <summary>What the management API's handlers use, resolved once.</summary>
sealed class ManagementApiServices(
    DurableTaskClient client,
    DurableRegistry registry,
    IOptions<DurableHttpOptions> http,
    IOptions<DurableOptions> durable,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public DurableTaskClient Client { get; } = client;
    public DurableRegistry Registry { get; } = registry;
    public DurableHttpOptions Options { get; } = http.Value;
    public TimeProvider Time { get; } = time;
    public ILogger Logger { get; } = loggers.CreateLogger("Baton.Durable.Http.ManagementApi");

    /// <summary>A request body becomes a stored payload, so it gets the engine's payload limit.</summary>
    public long MaxBodyBytes { get; } = durable.Value.Limits.MaxPayloadBytes;
}
