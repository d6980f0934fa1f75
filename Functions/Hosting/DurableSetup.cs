using Baton.Durable;
using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using Baton.Failures;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Hosting;

/// <summary>
/// The host's Durable Task stack (STACK.md §2): the Durable Task SDK's worker and client on the storage provider chosen by
/// <c>Durable__Provider</c>: Baton's (<see cref="BatonOrchestrationService"/> over SQLite or PostgreSQL), or DTFx's Azure
/// Storage provider (<see cref="AzureStorageProvider"/>). Replay and dispatch are DTFx's. Failures carry their class to the retry handlers
/// (<see cref="FailureClassProperties"/>), and payloads keep Baton's JSON (<see cref="DurableJson.Converter"/>).
/// </summary>
static class DurableSetup
{
    /// <param name="tasks">The orchestrators and activities this host runs.</param>
    public static WebApplicationBuilder AddDurableTasks(this WebApplicationBuilder builder, Action<DurableTaskRegistry> tasks)
    {
        var services = builder.Services;
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        var configured = builder.Configuration.GetSection(DurableOptions.SectionName).Get<DurableOptions>() ?? new DurableOptions();
        if (StorageSetup.IsAzureStorage(configured))
        {
            // Queues are polled: the longest wait between polls is Baton's MaxPollingInterval (1 s), not DTFx's 30 s.
            services.AddOrchestrationService(sp => AzureStorageProvider.Create(configured.ConnectionString!, configured.TaskHub,
                sp.GetRequiredService<ILoggerFactory>(), settings => settings.MaxQueuePollingInterval = configured.MaxPollingInterval));
        }
        else
        {
            services.AddSingleton<IDurableStore>(sp =>
                DurableStoreFactory.Create(sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
            services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(),
                sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>(),
                sp.GetRequiredService<TimeProvider>()));
        }
        services.AddSingleton<IExceptionPropertiesProvider, FailureClassProperties>();
        services.AddDurableTaskWorker(worker =>
        {
            worker.AddTasks(tasks);
            worker.Configure(options => options.DataConverter = DurableJson.Converter);
            worker.UseOrchestrationService();
        });
        services.AddDurableTaskClient(client =>
        {
            client.Configure(options => options.DataConverter = DurableJson.Converter);
            client.UseOrchestrationService();
        });
        return builder;
    }

    /// <summary>This host's Durable Task worker (a hosted service the SDK registers).</summary>
    public static BatonDurableTaskWorker DurableWorker(this IServiceProvider services) =>
        services.GetServices<IHostedService>().OfType<BatonDurableTaskWorker>().Single();
}

