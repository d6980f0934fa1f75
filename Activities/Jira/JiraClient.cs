using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Baton.Failures;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Baton.Activities.Jira;

/// <summary>
/// A thin typed client for the Jira Cloud REST v3 calls Baton makes (Atlassian.SDK is not served and speaks only v2).
/// Basic auth with <see cref="JiraOptions.Email"/> and <see cref="JiraOptions.ApiToken"/>, set per request and never
/// logged. Every failure is a <see cref="JiraApiException"/> carrying its <see cref="FailureClass"/>
/// (<see cref="JiraFailures"/>); transient ones get a short retry here, everything longer is the engine's.
/// </summary>
public sealed partial class JiraClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    readonly HttpClient http;
    readonly JiraOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<JiraClient> logger;
    readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public JiraClient(HttpClient http, IOptions<JiraOptions> options, TimeProvider clock, ILogger<JiraClient> logger)
    {
        this.http = http;
        this.clock = clock;
        this.logger = logger;
        settings = options.Value;
        pipeline = BuildPipeline(settings.Retry);
    }

    /// <summary>The site's browse link of an issue, for people.</summary>
    public Uri BrowseUri(string issueKey) => new(Site, $"browse/{Uri.EscapeDataString(issueKey)}");

    Uri Site => settings.BaseUrl is { } url
        ? new Uri(url.ToString().EndsWith('/') ? url.ToString() : url + "/")
        : throw new JiraApiException(FailureClass.AuthFailed, "Jira is not configured (Jira__BaseUrl, Jira__Email, Jira__ApiToken).");

    async Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
        Deserialize<T>(await SendAsync(HttpMethod.Get, path, body: null, cancellationToken), path);

    async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken) =>
        Deserialize<T>(await SendAsync(method, path, body, cancellationToken), path);

    async Task<string> SendAsync(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        if (!settings.HasCredentials)
            throw new JiraApiException(FailureClass.AuthFailed, "Jira is not configured (Jira__BaseUrl, Jira__Email, Jira__ApiToken).");
        var target = new Uri(Site, path);
        var logPath = target.AbsolutePath;
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async token => await http.SendAsync(BuildRequest(method, target, body), token), cancellationToken);
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken))
        {
            JiraLog.Failed(logger, method.Method, logPath, FailureClass.Transient, null, null, exception.Message);
            throw new JiraApiException(FailureClass.Transient, $"Jira {method} {logPath} did not answer: {exception.Message}", inner: exception);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JiraLog.Answered(logger, method.Method, logPath, status);
            if (JiraFailures.Classify(status, RetryAfter(response), clock.GetUtcNow()) is not { } failure) return text;

            var message = ErrorMessage(text);
            if (failure.Class.IsNeverRetried())
                JiraLog.FailedForGood(logger, method.Method, logPath, failure.Class, status, message);
            else
                JiraLog.Failed(logger, method.Method, logPath, failure.Class, status, failure.RetryAfter, message);
            throw new JiraApiException(failure.Class, $"Jira {method} {logPath} answered {status}: {message}", status, failure.RetryAfter);
        }
    }

    HttpRequestMessage BuildRequest(HttpMethod method, Uri target, object? body)
    {
        var request = new HttpRequestMessage(method, target);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Email}:{settings.ApiToken}")));
        request.Headers.Accept.ParseAdd("application/json");
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        return request;
    }

    ResiliencePipeline<HttpResponseMessage> BuildPipeline(JiraRetryOptions retry)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (retry.MaxAttempts > 1)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = retry.MaxAttempts - 1,
                Delay = retry.BaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // Only transient failures are retried here; a rate limit goes to the engine, which honours Retry-After.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e
                    ? IsTransport(e, args.Context.CancellationToken)
                    : JiraFailures.Classify((int)args.Outcome.Result!.StatusCode, null, clock.GetUtcNow())?.Class == FailureClass.Transient),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage;
                    JiraLog.Retrying(logger, request?.Method.Method ?? "", request?.RequestUri?.AbsolutePath ?? "",
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "",
                        args.AttemptNumber + 1, args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }
        return builder.AddTimeout(retry.AttemptTimeout).Build();
    }

    static bool IsTransport(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    static string? RetryAfter(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Retry-After", out var values) ? values.FirstOrDefault() : null;

    /// <summary>Jira's <c>errorMessages</c> and <c>errors</c>, or a short prefix of a body that is not JSON.</summary>
    static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            var errors = JsonSerializer.Deserialize<JiraErrorCollection>(body, Json);
            var all = (errors?.ErrorMessages ?? []).Concat((errors?.Errors ?? []).Select(e => $"{e.Key}: {e.Value}")).ToList();
            return all.Count > 0 ? string.Join("; ", all) : null;
        }
        catch (JsonException)
        {
            return body.Length <= 200 ? body : body[..200];
        }
    }

    static T Deserialize<T>(string body, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, Json)
                ?? throw new JiraApiException(FailureClass.Permanent, $"Jira {path} answered an empty body where {typeof(T).Name} was expected.");
        }
        catch (JsonException exception)
        {
            throw new JiraApiException(FailureClass.Permanent, $"Jira {path} answered a body that is not a {typeof(T).Name}: {exception.Message}", inner: exception);
        }
    }

    static string Escape(string segment) => Uri.EscapeDataString(segment);
}
