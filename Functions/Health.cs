using Baton.Durable.Hosting;
using Baton.Durable.Http;
using Baton.Durable.Storage;
using Baton.Hosting;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Baton.Functions;

/// <summary>
/// <c>GET /healthz</c>: the process answers (liveness). <c>GET /readyz</c>: the store answers with every migration
/// applied and the worker is running (readiness). Probes need no API key, so anyone gets the status and, when not
/// ready, why in general terms; the detail (the store's own words, which may name a file path or host, and each
/// feature's set-up: how many keys, secrets and tokens, limits) goes only to callers the management API would let in.
/// </summary>
public static class Health
{
    static readonly TimeSpan StoreCheckTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => TypedResults.Ok(new { status = "alive" }));
        endpoints.MapGet("/readyz", ReadyAsync);
        return endpoints;
    }

    static async Task<IResult> ReadyAsync(
        HttpContext http, IServiceProvider services, HostFeatures features, IOptions<DurableOptions> durable,
        ApiKeyFilter access, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var store = await CheckStoreAsync(services, cancellationToken);
        var (workerReady, workerDetail) = CheckWorker(services.DurableWorker().Started);
        var ready = store.Ready && workerReady;
        if (!ready)
            HostLog.NotReady(loggers.CreateLogger("Baton.Health"), store.Detail ?? workerDetail!);

        var status = ready ? "ready" : "notReady";
        var statusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        if (!access.IsAuthorized(http))
        {
            var reason = ready ? null : !store.Ready ? "the store is not ready" : "the durable worker is not running";
            return TypedResults.Json(new { status, reason, warnings = features.Warnings }, statusCode: statusCode);
        }

        var body = new
        {
            status,
            store = new { provider = durable.Value.Provider, ready = store.Ready, detail = store.Detail },
            worker = new { ready = workerReady, detail = workerDetail },
            features = features.All,
            warnings = features.Warnings,
        };
        return TypedResults.Json(body, statusCode: statusCode);
    }

    static (bool Ready, string? Detail) CheckWorker(Task started) => started.Status switch
    {
        TaskStatus.RanToCompletion => (true, null),
        TaskStatus.Faulted => (false, $"the durable worker failed to start ({started.Exception!.InnerException!.GetType().Name}: {started.Exception.InnerException.Message})"),
        _ => (false, "the durable worker is starting (applying migrations)"),
    };

    static async Task<(bool Ready, string? Detail)> CheckStoreAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StoreCheckTimeout);
        try
        {
            if (services.GetService<IDurableStore>() is not { } store)
            {
                // Another DTFx backend (Azure Storage): it is ready when it answers a look-up.
                await services.GetRequiredService<DurableTaskClient>().GetInstanceAsync("baton-readiness-probe", timeout.Token)
                    .WaitAsync(timeout.Token);
                return (true, null);
            }
            return await store.IsReadyAsync(timeout.Token)
                ? (true, null)
                : (false, "the store answers but its migrations are not all applied");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (false, $"the store did not answer within {StoreCheckTimeout.TotalSeconds} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The type and message only: driver messages name the host, never the password.
            return (false, $"the store is unavailable ({e.GetType().Name}: {e.Message})");
        }
    }
}
