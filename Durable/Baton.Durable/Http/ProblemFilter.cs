using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Http;

/// <summary>
/// Turns refused requests (<see cref="HttpProblem"/>) into problem-details responses, in one place, so every handler
/// answers bad input the same way.
/// </summary>
sealed class ProblemFilter(ILogger<ProblemFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (HttpProblem problem)
        {
            var request = context.HttpContext.Request;
            // Path only: the query string may carry a DF-style "code" API key.
            DurableHttpLog.RequestRefused(logger, request.Method, request.Path.ToString(), problem.Status, problem.Detail);
            return problem.ToResult();
        }
    }
}
