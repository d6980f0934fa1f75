using DurableTask.AzureStorage;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Provider;

/// <summary>
/// DTFx's Azure Storage provider (Durable Functions' standard backend: queues, tables and blobs in a storage account, or
/// Azurite) as the third storage choice beside Baton's SQLite and PostgreSQL. It is far slower than either (see
/// docs/storage-providers.md) and is here for compatibility with Azure's tooling and existing task hubs.
/// </summary>
public static class AzureStorageProvider
{
    /// <summary>
    /// The provider for one task hub in the storage account of <paramref name="connectionString"/>, with DTFx's defaults
    /// (but one, below) unless <paramref name="configure"/> changes them. Its queues, tables and containers are created
    /// on first use.
    /// </summary>
    /// <remarks>It serves the worker, the client, queries and purges: register it with
    /// <see cref="ProviderServiceCollectionExtensions.AddOrchestrationService{TService}"/>.</remarks>
    public static AzureStorageOrchestrationService Create(string connectionString, string taskHubName,
        ILoggerFactory loggerFactory, Action<AzureStorageOrchestrationServiceSettings>? configure = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        ArgumentException.ThrowIfNullOrEmpty(taskHubName);
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(connectionString),
            TaskHubName = taskHubName,
            LoggerFactory = loggerFactory,
            // Starting an id whose instance is in a dedupe status (by default a live one) throws, as on Baton's
            // providers; DTFx's default here would drop the start silently and the caller could not tell.
            ThrowExceptionOnInvalidDedupeStatus = true,
        };
        configure?.Invoke(settings);
        return new AzureStorageOrchestrationService(settings);
    }
}
