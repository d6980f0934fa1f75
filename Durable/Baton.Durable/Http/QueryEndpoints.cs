using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.DurableTask.Client;

namespace Baton.Durable.Http;

using OrchestrationMetadata = Microsoft.DurableTask.Client.OrchestrationMetadata;

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
            ?? throw HttpProblem.InstanceNotFound(instanceId);
        var status = InstanceStatus.From(metadata, showInput);
        if (showHistory)
        {
            var history = await HistoryAsync(api, instanceId);
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

        var page = await FirstPageAsync(api, new OrchestrationQuery
        {
            CreatedFrom = createdFrom,
            CreatedTo = createdTo,
            Statuses = statuses,
            InstanceIdPrefix = prefix,
            PageSize = top,
            FetchInputsAndOutputs = true,
            ContinuationToken = token,
        }, http.RequestAborted);

        ContinuationToken.Write(http.Response, page.ContinuationToken);
        return TypedResults.Json(page.Values.Select(m => InstanceStatus.From(m, showInput)).ToList(), DurableHttpJson.Options);
    }

    /// <summary><c>GET /instances/{instanceId}/history</c>: the current execution's events with their payloads.</summary>
    public async Task<IResult> GetHistoryAsync(string instanceId, HttpContext http, [FromServices] ManagementApiServices api)
    {
        RequestValues.InstanceId(instanceId);
        _ = await api.Client.GetInstanceAsync(instanceId, getInputsAndOutputs: false, http.RequestAborted)
            ?? throw HttpProblem.InstanceNotFound(instanceId);
        var history = await HistoryAsync(api, instanceId);
        return TypedResults.Json(history.Select(e => HistoryEventPayload.From(e, includeData: true)).ToList(), DurableHttpJson.Options);
    }

    /// <summary>The current execution's history as DTFx writes it (a JSON array of its history events): the SDK client
    /// has no call for histories, so they come from the storage provider.</summary>
    static async Task<IReadOnlyList<Newtonsoft.Json.Linq.JObject>> HistoryAsync(ManagementApiServices api, string instanceId)
    {
        var json = await api.Histories.GetOrchestrationHistoryAsync(instanceId, executionId: null);
        return Newtonsoft.Json.Linq.JArray.Parse(json).OfType<Newtonsoft.Json.Linq.JObject>().ToList();
    }

    static async Task<Microsoft.DurableTask.Page<OrchestrationMetadata>> FirstPageAsync(ManagementApiServices api, OrchestrationQuery query,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var page in api.Client.GetAllInstancesAsync(query).AsPages(query.ContinuationToken, query.PageSize)
                               .WithCancellation(cancellationToken))
                return page;
            return new Microsoft.DurableTask.Page<OrchestrationMetadata>([], null);
        }
        catch (Exception e) when (query.ContinuationToken is not null && e is ArgumentException or FormatException)
        {
            // The token unwrapped but the store cannot read it (forged or from another version).
            throw ContinuationToken.Malformed();
        }
    }
}
