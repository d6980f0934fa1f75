using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Http;

/// <summary>
/// Turns refused requests and the client's "not found / already finished / already exists" exceptions into
/// problem-details responses, in one place, so every handler answers bad input the same way.
/// </summary>
sealed class ProblemFilter(ILogger<ProblemFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception e) when (ToProblem(e) is { } problem)
        {
            var request = context.HttpContext.Request;
            // Path only: the query string may carry a DF-style "code" API key.
            DurableHttpLog.RequestRefused(logger, request.Method, request.Path.ToString(), problem.Status, problem.Detail);
            return problem.ToResult();
        }
    }

    static HttpProblem? ToProblem(Exception exception) => exception switch
    {
        HttpProblem problem => problem,
        InstanceNotFoundException e => HttpProblem.NotFound($"No orchestration instance with id '{e.InstanceId}' exists."),
        InstanceTerminalException e => HttpProblem.Gone($"Orchestration instance '{e.InstanceId}' has already finished ({e.Status})."),
        OrchestrationAlreadyExistsException e => HttpProblem.Conflict(
            $"An orchestration with instance id '{e.InstanceId}' already exists and is {e.Status}."),
        _ => null,
    };
}
