using Baton.Durable.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Baton.Durable.Http;

using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

/// <summary>
/// Routes that send a message to a running instance: raise an event, terminate, suspend, resume. Each answers
/// 202 once the message is durably queued (the instance applies it in its next episode), 404 for an unknown
/// instance and 410 for a finished one. The SDK client drops a message for an unknown or finished instance
/// silently, as every Durable Task backend does, so the instance is looked up first; an instance that finishes
/// between the look-up and the send gets 202 and ignores the message. Calls that change state are not tied to the
/// request's cancellation, so a message that reached the store is not half-sent when the caller hangs up.
/// </summary>
static class ControlEndpoints
{
    /// <summary><c>POST /instances/{instanceId}/raiseEvent/{eventName}</c> with a JSON body (the event's payload).
    /// With an <c>Idempotency-Key</c> (Baton's providers only) a repeated raise is accepted and delivered once.</summary>
    public static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        RequestValues.Name(eventName, "event name");
        var idempotencyKey = http.Request.IdempotencyKey();
        var keyed = idempotencyKey is null ? null : api.KeyedClient();
        var payload = await JsonBody.ReadAsync(http.Request, api.MaxBodyBytes, requireJsonContentType: true, http.RequestAborted);
        await RequireLiveAsync(api, instanceId, http.RequestAborted);

        if (keyed is null)
            await api.Client.RaiseEventAsync(instanceId, eventName, payload, CancellationToken.None);
        else
            Delivered(instanceId, await keyed.RaiseEventOnceAsync(instanceId, eventName, payload, idempotencyKey!, CancellationToken.None));
        DurableHttpLog.EventRaised(api.Logger, eventName, instanceId);
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/terminate?reason=…&amp;recursive=true</c></summary>
    public static async Task<IResult> TerminateAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);
        var recursive = http.Request.Query.Bool("recursive", fallback: false);
        await RequireLiveAsync(api, instanceId, http.RequestAborted);

        await api.Client.TerminateInstanceAsync(instanceId, new TerminateInstanceOptions(reason, recursive), CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "terminate");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/suspend?reason=…</c></summary>
    public static async Task<IResult> SuspendAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);
        await RequireLiveAsync(api, instanceId, http.RequestAborted);

        await api.Client.SuspendInstanceAsync(instanceId, reason, CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "suspend");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/resume?reason=…</c></summary>
    public static async Task<IResult> ResumeAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);
        await RequireLiveAsync(api, instanceId, http.RequestAborted);

        await api.Client.ResumeInstanceAsync(instanceId, reason, CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "resume");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary>404 for an unknown instance, 410 for a finished one.</summary>
    static async Task RequireLiveAsync(ManagementApiServices api, string instanceId, CancellationToken cancellationToken)
    {
        var metadata = await api.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, cancellationToken)
            ?? throw HttpProblem.InstanceNotFound(instanceId);
        if (metadata.RuntimeStatus.IsFinished()) throw HttpProblem.InstanceFinished(instanceId, metadata.RuntimeStatus);
    }

    /// <summary>Baton's provider says what became of a keyed event, in the same transaction that queued it.</summary>
    static void Delivered(string instanceId, EnqueueResult result)
    {
        switch (result.Outcome)
        {
            case EnqueueOutcome.NotFound: throw HttpProblem.InstanceNotFound(instanceId);
            case EnqueueOutcome.Terminal:
                throw HttpProblem.InstanceFinished(instanceId,
                    result.Status is { } status ? (OrchestrationRuntimeStatus)(int)status : OrchestrationRuntimeStatus.Completed);
        }
    }
}
