using Microsoft.AspNetCore.Http;

namespace Baton.Durable.Http;

using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

/// <summary>How an instance's status is answered: 202 with <c>Location</c> and <c>Retry-After</c> while it runs
/// (so clients poll politely), 200 once it has finished, optionally 500 for a failure.</summary>
static class StatusResults
{
    public static IResult For(HttpContext http, string basePath, InstanceStatus status, TimeSpan retryAfter, bool failedAsServerError = false)
    {
        if (!status.RuntimeStatus.IsFinished())
        {
            AddPollingHeaders(http, basePath, status.InstanceId, retryAfter);
            return TypedResults.Json(status, DurableHttpJson.Options, statusCode: StatusCodes.Status202Accepted);
        }
        var code = failedAsServerError && status.RuntimeStatus == OrchestrationRuntimeStatus.Failed
            ? StatusCodes.Status500InternalServerError
            : StatusCodes.Status200OK;
        return TypedResults.Json(status, DurableHttpJson.Options, statusCode: code);
    }

    public static void AddPollingHeaders(HttpContext http, string basePath, string instanceId, TimeSpan retryAfter)
    {
        http.Response.Headers.Location = ManagementPayload.InstanceUri(http.Request, basePath, instanceId);
        http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
