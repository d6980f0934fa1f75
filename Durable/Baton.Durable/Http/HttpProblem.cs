using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;

namespace Baton.Durable.Http;

using OrchestrationRuntimeStatus = Microsoft.DurableTask.Client.OrchestrationRuntimeStatus;

/// <summary>
/// A request the API refuses, with the status and the words the caller sees. Thrown by request parsing and
/// turned into an RFC 7807 problem-details response by <see cref="ProblemFilter"/>, so handlers read top to
/// bottom without an error branch after every parameter.
/// </summary>
public sealed class HttpProblem(int status, string title, string detail) : Exception(detail)
{
    public int Status { get; } = status;
    public string Title { get; } = title;
    public string Detail => Message;

    public static HttpProblem BadRequest(string detail) => new(StatusCodes.Status400BadRequest, "Bad request", detail);
    public static HttpProblem NotFound(string detail) => new(StatusCodes.Status404NotFound, "Not found", detail);
    public static HttpProblem Conflict(string detail) => new(StatusCodes.Status409Conflict, "Conflict", detail);
    public static HttpProblem Gone(string detail) => new(StatusCodes.Status410Gone, "Gone", detail);
    public static HttpProblem TooLarge(string detail) => new(StatusCodes.Status413PayloadTooLarge, "Payload too large", detail);
    public static HttpProblem UnsupportedMediaType(string detail) =>
        new(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail);

    public static HttpProblem InstanceNotFound(string instanceId) =>
        NotFound($"No orchestration instance with id '{instanceId}' exists.");

    public static HttpProblem InstanceFinished(string instanceId, OrchestrationRuntimeStatus status) =>
        Gone($"Orchestration instance '{instanceId}' has already finished ({status}).");

    public IResult ToResult() => TypedResults.Problem(Detail, statusCode: Status, title: Title);
}
