using Baton.Durable.Storage;
using Baton.Durable.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Durable.Hosting;

public static class DurableServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine: the store chosen by <see cref="DurableOptions.Provider"/>, the client, and (when
    /// <see cref="DurableOptions.WorkerEnabled"/>) the worker that runs orchestrations and activities.
    /// Options bind from the <c>Durable</c> configuration section.
    /// </summary>
    public static IServiceCollection AddDurable(this IServiceCollection services, Action<DurableRegistry> register)
    {
        services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.SectionName);
        var registry = new DurableRegistry();
        register(registry);
        services.AddSingleton(registry);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<WorkSignals>();
        services.AddSingleton<StoreReadiness>();
        services.AddSingleton<IDurableStore>(sp =>
            DurableStoreFactory.Create(sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<DurableTaskClient>(sp => new DurableTaskClient(
            sp.GetRequiredService<IDurableStore>(), registry, sp.GetRequiredService<WorkSignals>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<StoreReadiness>()));
        services.AddSingleton<DurableWorker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<DurableWorker>());
        return services;
    }
}
