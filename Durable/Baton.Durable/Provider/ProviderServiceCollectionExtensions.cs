using DurableTask.Core;
using DurableTask.Core.Query;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Durable.Provider;

public static class ProviderServiceCollectionExtensions
{
    /// <summary>Registers a DTFx storage provider (Baton's, or any other) as the one this host's Durable Task worker and
    /// client use: as <see cref="IOrchestrationService"/>, <see cref="IOrchestrationServiceClient"/> and the query and
    /// purge client interfaces.</summary>
    public static IServiceCollection AddOrchestrationService<TService>(this IServiceCollection services,
        Func<IServiceProvider, TService> create)
        where TService : class, IOrchestrationService, IOrchestrationServiceClient, IOrchestrationServiceQueryClient,
            IOrchestrationServicePurgeClient
    {
        services.AddSingleton(create);
        services.AddSingleton<IOrchestrationService>(sp => sp.GetRequiredService<TService>());
        services.AddSingleton<IOrchestrationServiceClient>(sp => sp.GetRequiredService<TService>());
        services.AddSingleton<IOrchestrationServiceQueryClient>(sp => sp.GetRequiredService<TService>());
        services.AddSingleton<IOrchestrationServicePurgeClient>(sp => sp.GetRequiredService<TService>());
        return services;
    }

    /// <summary>Runs the worker in this process on the registered <see cref="IOrchestrationService"/>.</summary>
    public static IDurableTaskWorkerBuilder UseOrchestrationService(this IDurableTaskWorkerBuilder builder) =>
        builder.UseBuildTarget<BatonDurableTaskWorker>();

    /// <summary>The client talks to the registered <see cref="IOrchestrationServiceClient"/> directly.</summary>
    public static IDurableTaskClientBuilder UseOrchestrationService(this IDurableTaskClientBuilder builder) =>
        builder.UseBuildTarget<BatonDurableTaskClient>();
}
