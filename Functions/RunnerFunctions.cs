using System.Globalization;
using System.Text.Json;
using Baton.Activities.Agents;
using Baton.Durable.Http;
using Baton.Hosting;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;

namespace Baton.Functions;

/// <summary>
/// The runner protocol's HTTP side, <c>/api/runners/...</c> (routes and shapes in <c>Runner/Protocol/RunnerProtocol.cs</c>).
/// Every call needs a runner token (<c>Runner__Tokens__N</c>, compared in constant time); job calls also need the
/// job's lease token, so a runner that lost a job gets 410 and cannot report over the runner that holds it now.
/// Bad input is a 4xx problem-details answer and changes nothing.
/// </summary>
public static class RunnerFunctions
{
    public const string BasePath = "/api/runners";
    const int MaxBodyBytes = 1 << 20;
    const int MaxWaitSeconds = 60;
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapRunnerProtocol(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).AddEndpointFilter<RunnerTokenFilter>();

        group.MapPost("/register", async (HttpRequest request, IOptions<RunnerHostOptions> options) =>
            await Handle(async () =>
            {
                var registration = await ReadAsync<RunnerRegistration>(request);
                if (string.IsNullOrWhiteSpace(registration.Name) || registration.Agents is null)
                    throw HttpProblem.BadRequest("'name' and 'agents' are required.");
                return TypedResults.Ok(AgentJobs.Register(registration, options.Value.JobLease));
            }));

        group.MapPost("/{runnerId}/jobs/next", async (string runnerId, HttpRequest request, AgentJobs jobs) =>
            await Handle(async () =>
            {
                var wait = WaitOf(request);
                var job = await jobs.NextAsync(runnerId, wait, request.HttpContext.RequestAborted);
                return job is null ? TypedResults.NoContent() : TypedResults.Ok(job);
            }));

        group.MapPost("/jobs/{jobId}/heartbeat", async (string jobId, HttpRequest request, AgentJobs jobs) =>
            await Handle(async () =>
            {
                var heartbeat = await ReadAsync<JobHeartbeat>(request);
                var reply = await jobs.HeartbeatAsync(IdOf(jobId), TokenOf(heartbeat.LeaseToken), request.HttpContext.RequestAborted);
                return reply is null ? Lost(jobId).ToResult() : TypedResults.Ok(reply);
            }));

        group.MapPost("/jobs/{jobId}/logs", async (string jobId, HttpRequest request, AgentJobs jobs) =>
            await Handle(async () =>
            {
                var lines = await ReadAsync<JobLogLines>(request);
                if (lines.Lines is null) throw HttpProblem.BadRequest("'lines' is required.");
                var kept = await jobs.AppendLogsAsync(IdOf(jobId), TokenOf(lines.LeaseToken), lines.Lines, request.HttpContext.RequestAborted);
                return kept ? TypedResults.Accepted((string?)null) : Lost(jobId).ToResult();
            }));

        group.MapPost("/jobs/{jobId}/result", async (string jobId, HttpRequest request, AgentJobs jobs) =>
            await Handle(async () =>
            {
                var report = await ReadAsync<JobReport>(request);
                if (report.Outcome is null) throw HttpProblem.BadRequest("'outcome' is required.");
                if (report.Outcome.Kind == AgentOutcomeKind.Failed && string.IsNullOrWhiteSpace(report.Outcome.FailureClass))
                    throw HttpProblem.BadRequest("A failed outcome needs its 'failureClass'.");
                // Not tied to RequestAborted: once the report reaches the store it should land even if the runner hung up.
                var done = await jobs.ReportAsync(IdOf(jobId), TokenOf(report.LeaseToken), report.Outcome, CancellationToken.None);
                return done ? TypedResults.Ok() : Lost(jobId).ToResult();
            }));

        group.MapGet("/jobs", async (HttpRequest request, AgentJobs jobs) =>
            await Handle(async () => TypedResults.Ok(await jobs.ListAsync(request.HttpContext.RequestAborted))));

        group.MapGet("/jobs/{jobId}/logs", (string jobId, AgentJobs jobs) =>
            Handle(() => Task.FromResult<IResult>(TypedResults.Ok(jobs.RecentLogs(IdOf(jobId))))));
        return app;
    }

    static async Task<IResult> Handle(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (HttpProblem problem)
        {
            return problem.ToResult();
        }
    }

    static HttpProblem Lost(string jobId) =>
        HttpProblem.Gone($"Job {jobId} is not held with this lease token (it finished, was cancelled, or went to another runner).");

    static string IdOf(string jobId) =>
        AgentJobs.IsJobId(jobId) ? jobId : throw HttpProblem.BadRequest($"'{Truncate(jobId)}' is not a job id.");

    static string TokenOf(string? leaseToken) =>
        string.IsNullOrWhiteSpace(leaseToken) ? throw HttpProblem.BadRequest("'leaseToken' is required.") : leaseToken;

    static TimeSpan WaitOf(HttpRequest request)
    {
        var text = request.Query["waitSeconds"].ToString();
        if (text.Length == 0) return TimeSpan.Zero;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || seconds > MaxWaitSeconds)
            throw HttpProblem.BadRequest($"'waitSeconds' must be a whole number from 0 to {MaxWaitSeconds}.");
        return TimeSpan.FromSeconds(seconds);
    }

    static async Task<T> ReadAsync<T>(HttpRequest request) where T : class
    {
        if (!request.HasJsonContentType())
            throw HttpProblem.UnsupportedMediaType("Send the body as application/json.");
        if (request.ContentLength > MaxBodyBytes) throw HttpProblem.TooLarge($"The body is over {MaxBodyBytes} bytes.");
        RequestBodyLimit.Allow(request, MaxBodyBytes);
        try
        {
            using var limited = new MemoryStream();
            if (!await RequestBodyLimit.ReadAsync(request, limited, MaxBodyBytes, request.HttpContext.RequestAborted))
                throw HttpProblem.TooLarge($"The body is over {MaxBodyBytes} bytes.");
            limited.Position = 0;
            return await JsonSerializer.DeserializeAsync<T>(limited, Json, request.HttpContext.RequestAborted)
                   ?? throw HttpProblem.BadRequest("The body is empty.");
        }
        catch (JsonException e)
        {
            throw HttpProblem.BadRequest($"The body is not valid JSON for this call: {JsonErrors.Describe(e)}");
        }
    }

    static string Truncate(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>Lets a request through when it carries one of the configured runner tokens as <c>Authorization: Bearer</c>.
/// With no token configured, every caller is refused: the embedded runner needs none, and an open job queue would
/// hand repository credentials to anyone. The presented token is never logged.</summary>
public sealed class RunnerTokenFilter(IOptions<RunnerHostOptions> options, ILogger<RunnerTokenFilter> logger) : IEndpointFilter
{
    readonly ApiKeyMatcher tokens = new(options.Value.ConfiguredTokens);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var refusal = Check(http.Request);
        if (refusal is null) return next(context);
        AgentJobLog.RunnerRefused(logger, http.Connection.RemoteIpAddress?.ToString() ?? "unknown", refusal);
        http.Response.Headers.WWWAuthenticate = "Bearer";
        return ValueTask.FromResult<object?>(TypedResults.Problem(refusal, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized"));
    }

    string? Check(HttpRequest request)
    {
        if (tokens.IsEmpty) return "No runner token is configured (Runner__Tokens__0), so external runners are refused.";
        const string bearer = "Bearer ";
        var authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
            return "A runner token is required as 'Authorization: Bearer <token>'.";
        return tokens.Matches(authorization[bearer.Length..].Trim()) ? null : "The runner token is not valid.";
    }
}
