using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Durable.Http;

/// <summary>
/// The management HTTP API, mirroring Durable Functions' (ENGINE.md §4): start, status, list, raise event,
/// terminate, suspend, resume, purge and history. Every refused request gets a 4xx problem-details body and
/// changes nothing. Protected by <see cref="ApiKeyFilter"/>.
/// </summary>
public static class DurableManagementApi
{
    public const string DefaultBasePath = "/runtime/webhooks/durabletask";

    /// <summary>
    /// Registers what the API needs. It runs on the host's Durable Task SDK client (<c>AddDurableTaskClient</c>, the
    /// default one) and reads histories from its storage provider (<c>AddOrchestrationService</c>); the orchestrators it
    /// may start are the SDK worker's (<c>AddDurableTaskWorker</c>) and <see cref="DurableHttpOptions.Orchestrators"/>.
    /// The <c>Idempotency-Key</c> header works on Baton's providers only and is refused (400) on any other.
    /// </summary>
    public static IServiceCollection AddDurableManagementApi(this IServiceCollection services, Action<DurableHttpOptions>? configure = null)
    {
        var options = services.AddOptions<DurableHttpOptions>();
        if (configure is not null) options.Configure(configure);
        services.AddSingleton<ManagementApiServices>();
        services.AddSingleton<ApiKeyFilter>();
        return services;
    }

    /// <summary>Maps the API under <paramref name="basePath"/>.</summary>
    public static RouteGroupBuilder MapDurableManagementApi(this IEndpointRouteBuilder endpoints, string basePath = DefaultBasePath)
    {
        basePath = "/" + basePath.Trim('/');
        var start = new StartEndpoint(basePath);
        var query = new QueryEndpoints(basePath);

        // The key check runs first so an unauthenticated caller learns nothing about instances.
        var api = endpoints.MapGroup(basePath)
            .AddEndpointFilter(endpoints.ServiceProvider.GetRequiredService<ApiKeyFilter>())
            .AddEndpointFilter<ProblemFilter>();

        api.MapPost("/orchestrators/{name}/{instanceId?}", start.HandleAsync);
        api.MapGet("/instances", query.ListAsync);
        api.MapDelete("/instances", PurgeEndpoints.PurgeManyAsync);
        api.MapGet("/instances/{instanceId}", query.GetStatusAsync);
        api.MapDelete("/instances/{instanceId}", PurgeEndpoints.PurgeOneAsync);
        api.MapGet("/instances/{instanceId}/history", query.GetHistoryAsync);
        api.MapPost("/instances/{instanceId}/raiseEvent/{eventName}", ControlEndpoints.RaiseEventAsync);
        api.MapPost("/instances/{instanceId}/terminate", ControlEndpoints.TerminateAsync);
        api.MapPost("/instances/{instanceId}/suspend", ControlEndpoints.SuspendAsync);
        api.MapPost("/instances/{instanceId}/resume", ControlEndpoints.ResumeAsync);
        return api;
    }
}
