using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using AlreadyExists = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Baton.Durable.Http;

using OrchestrationMetadata = Microsoft.DurableTask.Client.OrchestrationMetadata;
using StartOrchestrationOptions = Microsoft.DurableTask.StartOrchestrationOptions;

/// <summary><c>POST /orchestrators/{name}/{instanceId?}</c>: start an instance, optionally waiting for it to finish.</summary>
sealed class StartEndpoint(string basePath)
{
    public async Task<IResult> HandleAsync(string name, string? instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        var request = http.Request;
        name = RequestValues.Name(name, "orchestrator name");
        if (!api.IsOrchestrator(name))
            throw HttpProblem.BadRequest($"No orchestrator named '{name}' is registered.");
        if (instanceId is not null) RequestValues.InstanceId(instanceId);
        var timeout = request.Query.Seconds("timeout", api.Options.MaxWaitTimeout);
        var pollingInterval = request.Query.Seconds("pollingInterval", api.Options.MaxWaitTimeout);
        if (timeout is null != pollingInterval is null)
            throw HttpProblem.BadRequest("To wait for completion give both 'timeout' and 'pollingInterval' (seconds); to return at once give neither.");
        var idempotencyKey = request.IdempotencyKey();
        var keyed = idempotencyKey is null ? null : api.KeyedClient();
        var input = await JsonBody.ReadAsync(request, api.MaxBodyBytes, requireJsonContentType: false, http.RequestAborted);

        // Not tied to RequestAborted: a start that reached the store should finish even if the caller hung up.
        var options = new StartOrchestrationOptions(instanceId);
        string id;
        try
        {
            id = keyed is null
                ? await api.Client.ScheduleNewOrchestrationInstanceAsync(name, input, options, CancellationToken.None)
                : await keyed.StartOrchestrationOnceAsync(name, input, options, idempotencyKey!, CancellationToken.None);
        }
        catch (AlreadyExists)
        {
            var existing = await api.Client.GetInstanceAsync(instanceId!, getInputsAndOutputs: false, CancellationToken.None);
            throw HttpProblem.Conflict(
                $"An orchestration with instance id '{instanceId}' already exists and is {existing?.RuntimeStatus.ToString() ?? "live"}.");
        }
        DurableHttpLog.Started(api.Logger, name, id);

        if (timeout is { } limit && await WaitAsync(api, id, limit, http.RequestAborted) is { } finished)
            return StatusResults.For(http, basePath, InstanceStatus.From(finished, showInput: true), api.Options.RetryAfter);

        StatusResults.AddPollingHeaders(http, basePath, id, api.Options.RetryAfter);
        return TypedResults.Json(ManagementPayload.For(request, basePath, id), DurableHttpJson.Options, statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>The finished instance, or null when <paramref name="timeout"/> passed first. The client wakes the wait as
    /// soon as its provider sees the instance finish, so <c>pollingInterval</c> only needs validating.</summary>
    static async Task<OrchestrationMetadata?> WaitAsync(ManagementApiServices api, string instanceId, TimeSpan timeout, CancellationToken aborted)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        limit.CancelAfter(timeout);
        try
        {
            return await api.Client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true, limit.Token);
        }
        catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
        {
            return null;
        }
    }
}
