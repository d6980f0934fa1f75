using Baton.Durable.Provider;
using Baton.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Baton.ProviderTests;

/// <summary>The suite on DTFx's Azure Storage provider, against a real throwaway Azurite.</summary>
public sealed class AzureStorageSdkProviderTests : SdkProviderTests
{
    /// <summary>One task hub for the class: xunit runs its tests one after another, each on a new host, so each host
    /// takes over the hub's partition from the one before.</summary>
    static readonly string TaskHub = "sdk" + Guid.NewGuid().ToString("N");

    protected override async Task AddStorageAsync(IServiceCollection services)
    {
        var azurite = await ThrowawayAzurite.Shared;
        services.AddOrchestrationService(sp => AzureStorageProvider.Create(azurite.ConnectionString, TaskHub,
            sp.GetRequiredService<ILoggerFactory>(), settings =>
            {
                // Tests wait on round trips: poll the queues often, and keep one partition so there is one control
                // queue to poll and one lease to hand over between the hosts of consecutive tests.
                settings.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500);
                settings.PartitionCount = 1;
                settings.UseTablePartitionManagement = true;
            }));
    }

    [Fact]
    public async Task Idempotency_keys_are_refused_here()
    {
        var client = Assert.IsType<BatonDurableTaskClient>(Client);

        Assert.False(client.SupportsIdempotencyKeys);
        await Assert.ThrowsAsync<NotSupportedException>(() => client.StartOrchestrationOnceAsync("HelloSequence", new[] { "Ada" }, null, "start-1"));
        await Assert.ThrowsAsync<NotSupportedException>(() => client.RaiseEventOnceAsync("any", "approval", "ada", "approval-1"));
    }
}
