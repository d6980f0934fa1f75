using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Baton.Durable.Http;

/// <summary>Routes that delete finished instances and everything stored for them.</summary>
static class PurgeEndpoints
{
    /// <summary>How long one bulk purge request may delete before it answers <c>hasMore: true</c>.</summary>
    static readonly TimeSpan BulkPurgeBudget = TimeSpan.FromSeconds(30);

    /// <summary><c>DELETE /instances/{instanceId}?recursive=true</c>: 200, 404, or 409 while it still runs. With
    /// <c>recursive</c> its finished sub-orchestrations go too, and count in <c>instancesDeleted</c>.</summary>
    public static async Task<IResult> PurgeOneAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var recursive = http.Request.Query.Bool("recursive", fallback: false);
        // The SDK purges only a finished instance and counts 0 for a live or unknown one, which it does not tell apart.
        var metadata = await api.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, http.RequestAborted)
            ?? throw HttpProblem.InstanceNotFound(instanceId);
        if (!metadata.RuntimeStatus.IsFinished()) throw NotFinished(instanceId);

        var result = await api.Client.PurgeInstanceAsync(instanceId, new PurgeInstanceOptions(recursive), CancellationToken.None);
        // Zero: it was restarted (or purged by someone else) since the look-up.
        if (result.PurgedInstanceCount == 0) throw NotFinished(instanceId);
        return Purged(api, new PurgeResponse(result.PurgedInstanceCount));
    }

    /// <summary><c>DELETE /instances?createdTimeFrom=…[&amp;createdTimeTo=…][&amp;runtimeStatus=…]</c>: bulk purge,
    /// time-boxed; <c>hasMore</c> says whether to call again.</summary>
    public static async Task<IResult> PurgeManyAsync(HttpContext http, [FromServices] ManagementApiServices api)
    {
        var query = http.Request.Query;
        var createdFrom = query.Date("createdTimeFrom")
            ?? throw HttpProblem.BadRequest("Query parameter 'createdTimeFrom' is required for a bulk purge.");
        var createdTo = query.Date("createdTimeTo") ?? api.Time.GetUtcNow().UtcDateTime;
        if (createdFrom > createdTo)
            throw HttpProblem.BadRequest("'createdTimeFrom' must not be later than 'createdTimeTo'.");
        var statuses = query.Statuses("runtimeStatus");
        var unfinished = statuses?.Where(s => !s.IsFinished()).ToList() ?? [];
        if (unfinished.Count > 0)
            throw HttpProblem.BadRequest($"Only finished instances can be purged; not a final status: {string.Join(", ", unfinished)}.");

        var result = await api.Client.PurgeAllInstancesAsync(
            new PurgeInstancesFilter(createdFrom, createdTo, statuses) { Timeout = BulkPurgeBudget }, cancellation: CancellationToken.None);
        return Purged(api, new PurgeResponse(result.PurgedInstanceCount) { HasMore = result.IsComplete == false });
    }

    static HttpProblem NotFinished(string instanceId) =>
        HttpProblem.Conflict($"Orchestration instance '{instanceId}' has not finished; terminate it before purging.");

    static IResult Purged(ManagementApiServices api, PurgeResponse response)
    {
        DurableHttpLog.Purged(api.Logger, response.InstancesDeleted);
        return TypedResults.Json(response, DurableHttpJson.Options);
    }
}
