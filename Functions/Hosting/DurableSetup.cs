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
/// The host's Durable Task stack (STACK.md §2): the Durable Task SDK's worker and client on Baton's storage provider
/// (<see cref="BatonOrchestrationService"/> over the SQLite or PostgreSQL store chosen by <c>Durable__Provider</c>).
/// Replay and dispatch are DTFx's; the store is Baton's. Failures carry their class to the retry handlers
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
        services.AddSingleton<WorkSignals>();
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<IDurableStore>(sp =>
            DurableStoreFactory.Create(sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(),
            sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<WorkSignals>(), sp.GetRequiredService<StoreReadiness>()));
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

