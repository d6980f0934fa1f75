using Baton.Durable.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Baton.Durable.Http;

/// <summary>Read-only routes: one instance's status, the list of instances, and an instance's history.</summary>
sealed class QueryEndpoints(string basePath)
{
    /// <summary><c>GET /instances/{instanceId}</c></summary>
    public async Task<IResult> GetStatusAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        var query = http.Request.Query;
        var showInput = query.Bool("showInput", fallback: true);
        var showHistory = query.Bool("showHistory", fallback: false);
        var showHistoryOutput = query.Bool("showHistoryOutput", fallback: false);
        var failedAsServerError = query.Bool("returnInternalServerErrorOnFailure", fallback: false);

        var metadata = await api.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: true, http.RequestAborted)
            ?? throw new InstanceNotFoundException(instanceId);
        var status = InstanceStatus.From(metadata, showInput);
        if (showHistory)
        {
            var history = await api.Client.GetHistoryAsync(instanceId, http.RequestAborted);
            status = status with { HistoryEvents = history.Select(e => HistoryEventPayload.From(e, showHistoryOutput)).ToList() };
        }
        return StatusResults.For(http, basePath, status, api.Options.RetryAfter, failedAsServerError);
    }

    /// <summary><c>GET /instances</c>: one page, oldest first; the next page's token comes back in a header.</summary>
    public async Task<IResult> ListAsync(HttpContext http, [FromServices] ManagementApiServices api)
    {
        var query = http.Request.Query;
        var createdFrom = query.Date("createdTimeFrom");
        var createdTo = query.Date("createdTimeTo");
        if (createdFrom > createdTo)
            throw HttpProblem.BadRequest("'createdTimeFrom' must not be later than 'createdTimeTo'.");
        var statuses = query.Statuses("runtimeStatus");
        var prefix = query.Text("instanceIdPrefix", InstanceIds.MaxLength);
        var top = query.Int("top", 1, api.Options.MaxPageSize, api.Options.DefaultPageSize);
        var showInput = query.Bool("showInput", fallback: false);
        var token = ContinuationToken.Read(http.Request);

        var page = await QueryAsync(api, new InstanceQuery
        {
            CreatedFrom = createdFrom,
            CreatedTo = createdTo,
            Statuses = statuses,
            InstanceIdPrefix = prefix,
            PageSize = top,
            IncludePayloads = true,
            ContinuationToken = token,
        }, http.RequestAborted);

        ContinuationToken.Write(http.Response, page.ContinuationToken);
        return TypedResults.Json(page.Instances.Select(m => InstanceStatus.From(m, showInput)).ToList(), DurableHttpJson.Options);
    }

    /// <summary><c>GET /instances/{instanceId}/history</c>: the current execution's events with their payloads.</summary>
    public async Task<IResult> GetHistoryAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        _ = await api.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, http.RequestAborted)
            ?? throw new InstanceNotFoundException(instanceId);
        var history = await api.Client.GetHistoryAsync(instanceId, http.RequestAborted);
        return TypedResults.Json(history.Select(e => HistoryEventPayload.From(e, includeData: true)).ToList(), DurableHttpJson.Options);
    }

    static async Task<OrchestrationPage> QueryAsync(ManagementApiServices api, InstanceQuery query, CancellationToken cancellationToken)
    {
        try
        {
            return await api.Client.QueryInstancesAsync(query, cancellationToken);
        }
        catch (Exception e) when (query.ContinuationToken is not null && e is ArgumentException or FormatException)
        {
            // The token unwrapped but the store cannot read it (forged or from another version).
            throw ContinuationToken.Malformed();
        }
    }
}
