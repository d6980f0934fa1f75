using Baton.Durable.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Durable.Http;

/// <summary>Routes that delete finished instances and everything stored for them.</summary>
static class PurgeEndpoints
{
    /// <summary><c>DELETE /instances/{instanceId}?recursive=true</c>: 200, 404, or 409 while it still runs.</summary>
    public static async Task<IResult> PurgeOneAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var recursive = http.Request.Query.Bool("recursive", fallback: false);

        var outcome = await api.Client.PurgeInstanceAsync(instanceId, recursive, CancellationToken.None);
        return outcome switch
        {
            PurgeOutcome.NotFound => throw new InstanceNotFoundException(instanceId),
            PurgeOutcome.NotTerminal => throw HttpProblem.Conflict(
                $"Orchestration instance '{instanceId}' has not finished; terminate it before purging."),
            _ => Purged(api, new PurgeResponse(1)),
        };
    }

    /// <summary><c>DELETE /instances?createdTimeFrom=…[&amp;createdTimeTo=…][&amp;runtimeStatus=…]</c>: bulk purge,
    /// time-boxed by the store; <c>hasMore</c> says whether to call again.</summary>
    public static async Task<IResult> PurgeManyAsync(HttpContext http, [FromServices] ManagementApiServices api)
    {
        var query = http.Request.Query;
        var createdFrom = query.Date("createdTimeFrom")
            ?? throw HttpProblem.BadRequest("Query parameter 'createdTimeFrom' is required for a bulk purge.");
        var createdTo = query.Date("createdTimeTo") ?? api.Time.GetUtcNow().UtcDateTime;
        if (createdFrom > createdTo)
            throw HttpProblem.BadRequest("'createdTimeFrom' must not be later than 'createdTimeTo'.");
        var statuses = query.Statuses("runtimeStatus");
        var unfinished = statuses?.Where(s => !s.IsTerminal()).ToList() ?? [];
        if (unfinished.Count > 0)
            throw HttpProblem.BadRequest($"Only finished instances can be purged; not a final status: {string.Join(", ", unfinished)}.");

        var result = await api.Client.PurgeInstancesAsync(
            new PurgeFilter { CreatedFrom = createdFrom, CreatedTo = createdTo, Statuses = statuses }, CancellationToken.None);
        return Purged(api, new PurgeResponse(result.PurgedInstanceCount) { HasMore = result.HasMore });
    }

    static IResult Purged(ManagementApiServices api, PurgeResponse response)
    {
        DurableHttpLog.Purged(api.Logger, response.InstancesDeleted);
        return TypedResults.Json(response, DurableHttpJson.Options);
    }
}
