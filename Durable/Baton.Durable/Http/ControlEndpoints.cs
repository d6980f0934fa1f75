using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Durable.Http;

/// <summary>
/// Routes that send a message to a running instance: raise an event, terminate, suspend, resume. Each answers
/// 202 once the message is durably queued (the instance applies it in its next episode), 404 for an unknown
/// instance and 410 for a finished one. Store calls are not tied to the request's cancellation, so a message
/// that reached the store is not half-sent when the caller hangs up.
/// </summary>
static class ControlEndpoints
{
    /// <summary><c>POST /instances/{instanceId}/raiseEvent/{eventName}</c> with a JSON body (the event's payload).</summary>
    public static async Task<IResult> RaiseEventAsync(string instanceId, string eventName, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        RequestValues.Name(eventName, "event name");
        var idempotencyKey = http.Request.IdempotencyKey();
        var payload = await JsonBody.ReadAsync(http.Request, api.MaxBodyBytes, requireJsonContentType: true, http.RequestAborted);

        await api.Client.RaiseEventAsync(instanceId, eventName, payload, idempotencyKey, CancellationToken.None);
        DurableHttpLog.EventRaised(api.Logger, eventName, instanceId);
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/terminate?reason=…&amp;recursive=true</c></summary>
    public static async Task<IResult> TerminateAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);
        var recursive = http.Request.Query.Bool("recursive", fallback: false);

        await api.Client.TerminateInstanceAsync(instanceId, reason, recursive, CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "terminate");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/suspend?reason=…</c></summary>
    public static async Task<IResult> SuspendAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);

        await api.Client.SuspendInstanceAsync(instanceId, reason, CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "suspend");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }

    /// <summary><c>POST /instances/{instanceId}/resume?reason=…</c></summary>
    public static async Task<IResult> ResumeAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var reason = http.Request.Query.Text("reason", RequestValues.MaxReasonLength);

        await api.Client.ResumeInstanceAsync(instanceId, reason, CancellationToken.None);
        DurableHttpLog.ControlSent(api.Logger, instanceId, "resume");
        return TypedResults.StatusCode(StatusCodes.Status202Accepted);
    }
}
