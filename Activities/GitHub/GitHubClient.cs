using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using Baton.Failures;

namespace Baton.Activities.GitHub;

/// <summary>
/// Typed client for the GitHub REST v3 calls Baton makes (ARCHITECTURE.md §3.4). Every failure is thrown as a
/// <see cref="GitHubApiException"/> carrying its <see cref="FailureClass"/>. Transient failures get a short retry here
/// (at most three attempts, seconds apart); everything longer is the engine's durable retry. GETs are conditional.
/// </summary>
public sealed partial class GitHubClient
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    const int PageSize = 100;

    readonly HttpClient http;
    readonly GitHubCredentials credentials;
    readonly GitHubResponseCache cache;
    readonly GitHubUsage usage;
    readonly GitHubOptions settings;
    readonly TimeProvider clock;
    readonly ILogger<GitHubClient> logger;
    readonly ResiliencePipeline<HttpResponseMessage> pipeline;

    public GitHubClient(
        HttpClient http,
        GitHubCredentials credentials,
        GitHubResponseCache cache,
        GitHubUsage usage,
        IOptions<GitHubOptions> options,
        TimeProvider clock,
        ILogger<GitHubClient> logger)
    {
        this.http = http;
        this.credentials = credentials;
        this.cache = cache;
        this.usage = usage;
        this.clock = clock;
        this.logger = logger;
        settings = options.Value;
        pipeline = BuildPipeline(settings.Retry);
    }

    /// <summary>Call counts since start, shared by all clients of this process.</summary>
    public GitHubUsage Usage => usage;

    /// <summary>How a request authenticates: as the configured identity, or as the App itself (JWT) for App endpoints.</summary>
    enum Identity { Installation, App }

    /// <summary>
    /// One logical call. <paramref name="Repository"/> (<c>owner/repo</c>) picks the App installation.
    /// <paramref name="Expected"/> lists error statuses that are an answer the caller handles (a missing file, a merge
    /// refused), returned instead of thrown and logged at Debug, not Error.
    /// </summary>
    sealed record Call(
        HttpMethod Method, string Uri, string? Repository, object? Body = null, Identity As = Identity.Installation, int[]? Expected = null);

    /// <summary>A successful answer (2xx, or a 304 replaced by the cached body).</summary>
    sealed record Answer(int Status, string Body, string? Link);

    async Task<T> GetAsync<T>(string uri, string repository, CancellationToken cancellationToken) =>
        Deserialize<T>(await SendAsync(new Call(HttpMethod.Get, uri, repository), cancellationToken));

    async Task<T> SendAsync<T>(HttpMethod method, string uri, string repository, object? body, CancellationToken cancellationToken) =>
        Deserialize<T>(await SendAsync(new Call(method, uri, repository, body), cancellationToken));

    /// <summary>Every page of a list, following <c>Link: rel="next"</c>.</summary>
    async Task<IReadOnlyList<T>> GetAllPagesAsync<T>(string uri, string repository, CancellationToken cancellationToken) =>
        await GetAllPagesAsync<IReadOnlyList<T>, T>(uri, repository, page => page, cancellationToken);

    async Task<IReadOnlyList<TItem>> GetAllPagesAsync<TPage, TItem>(
        string uri, string repository, Func<TPage, IEnumerable<TItem>> items, CancellationToken cancellationToken)
    {
        var all = new List<TItem>();
        for (string? next = WithPageSize(uri); next is not null;)
        {
            var answer = await SendAsync(new Call(HttpMethod.Get, next, repository), cancellationToken);
            all.AddRange(items(Deserialize<TPage>(answer)));
            next = GitHubLinks.Next(answer.Link);
        }
        return all;
    }

    async Task<Answer> SendAsync(Call call, CancellationToken cancellationToken)
    {
        var target = Resolve(call.Uri);
        var path = target.AbsolutePath;
        var authorization = await AuthorizeAsync(call, cancellationToken);
        CachedResponse? cached = null;
        var conditional = call.Method == HttpMethod.Get && cache.TryGet(target.AbsoluteUri, out cached);

        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async token => await http.SendAsync(BuildRequest(call, target, authorization, conditional ? cached!.ETag : null), token),
                cancellationToken);
        }
        catch (Exception exception) when (IsTransport(exception, cancellationToken))
        {
            GitHubLog.Failed(logger, call.Method.Method, path, FailureClass.Transient, null, null, exception.Message);
            throw new GitHubApiException(FailureClass.Transient, $"GitHub {call.Method} {path} did not answer: {exception.Message}", inner: exception);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            usage.RecordResponse(status);
            if (status == 304 && conditional)
            {
                GitHubLog.NotModified(logger, call.Method.Method, path);
                return new Answer(200, cached!.Body, cached.Link);
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var link = Header(response, "Link");
            GitHubLog.Answered(logger, call.Method.Method, path, status);
            if (call.Expected?.Contains(status) == true) return new Answer(status, body, link);
            var failure = GitHubFailures.Classify(Facts(response, body), clock.GetUtcNow());
            if (failure is not null) throw Fail(call, path, status, failure, body);

            if (call.Method == HttpMethod.Get && response.Headers.ETag is { } etag)
                cache.Store(target.AbsoluteUri, new CachedResponse(etag.ToString(), body, link));
            return new Answer(status, body, link);
        }
    }

    GitHubApiException Fail(Call call, string path, int status, GitHubFailure failure, string body)
    {
        var message = ErrorMessage(body);
        if (failure.Class == FailureClass.RateLimited) usage.RecordRateLimited();
        if (status == 401 && call.As == Identity.Installation && settings.UsesApp) ForgetInstallationToken(call.Repository);
        if (failure.Class.IsNeverRetried())
            GitHubLog.FailedForGood(logger, call.Method.Method, path, failure.Class, status, message);
        else
            GitHubLog.Failed(logger, call.Method.Method, path, failure.Class, status, failure.RetryAfter, message);
        return new GitHubApiException(
            failure.Class, $"GitHub {call.Method} {path} answered {status}: {message}", status, failure.RetryAfter);
    }

    HttpRequestMessage BuildRequest(Call call, Uri target, AuthenticationHeaderValue? authorization, string? etag)
    {
        var request = new HttpRequestMessage(call.Method, target);
        request.Headers.Authorization = authorization;
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (call.Body is not null) request.Content = JsonContent.Create(call.Body, call.Body.GetType(), options: Json);
        return request;
    }

    /// <summary>
    /// Relative paths go under <see cref="GitHubOptions.ApiUrl"/>; absolute ones (pagination links) must stay on it,
    /// so a credential is never sent to another host.
    /// </summary>
    Uri Resolve(string uri)
    {
        var baseAddress = http.BaseAddress ?? settings.ApiUrl;
        var target = new Uri(baseAddress, uri);
        if (!string.Equals(target.GetLeftPart(UriPartial.Authority), baseAddress.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
            throw new GitHubApiException(FailureClass.Permanent, $"GitHub link {target.GetLeftPart(UriPartial.Path)} leaves {baseAddress}.");
        return target;
    }

    ResiliencePipeline<HttpResponseMessage> BuildPipeline(GitHubRetryOptions retry)
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
                ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, retry, args.Context.CancellationToken)),
                // A short Retry-After is honoured exactly; transient failures use the exponential delay.
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } result && Classify(result) is { Class: FailureClass.RateLimited, RetryAfter: var wait }
                        ? wait
                        : null),
                OnRetry = args =>
                {
                    var request = args.Outcome.Result?.RequestMessage;
                    GitHubLog.Retrying(logger, request?.Method.Method ?? "", request?.RequestUri?.AbsolutePath ?? "",
                        args.Outcome.Result is { } r ? ((int)r.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture) : args.Outcome.Exception?.GetType().Name ?? "",
                        args.AttemptNumber + 1, args.RetryDelay);
                    args.Outcome.Result?.Dispose();
                    return default;
                },
            });
        }
        return builder.AddTimeout(retry.AttemptTimeout).Build();
    }

    bool ShouldRetry(Outcome<HttpResponseMessage> outcome, GitHubRetryOptions retry, CancellationToken cancellationToken)
    {
        if (outcome.Exception is not null) return IsTransport(outcome.Exception, cancellationToken);
        return Classify(outcome.Result!) switch
        {
            { Class: FailureClass.Transient } => true,
            { Class: FailureClass.RateLimited, RetryAfter: { } wait } => wait <= retry.MaxHonouredRetryAfter,
            _ => false,
        };
    }

    /// <summary>Classification from the status and headers alone (the retry decision must not consume the body).</summary>
    GitHubFailure? Classify(HttpResponseMessage response) =>
        GitHubFailures.Classify(Facts(response, body: null), clock.GetUtcNow());

    static GitHubResponseFacts Facts(HttpResponseMessage response, string? body) => new(
        (int)response.StatusCode,
        Header(response, "Retry-After"),
        Header(response, "X-RateLimit-Remaining"),
        Header(response, "X-RateLimit-Reset"),
        body is null ? null : ErrorMessage(body));

    static bool IsTransport(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        HttpRequestException or TimeoutRejectedException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>GitHub's <c>message</c> from an error body, or a short prefix of a body that is not JSON.</summary>
    static string? ErrorMessage(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("message", out var message) ? message.GetString() : null;
        }
        catch (JsonException)
        {
            return body.Length <= 200 ? body : body[..200];
        }
    }

    static T Deserialize<T>(Answer answer)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(answer.Body, Json)
                ?? throw new GitHubApiException(FailureClass.Permanent, $"GitHub answered {answer.Status} with an empty body where {typeof(T).Name} was expected.");
        }
        catch (JsonException exception)
        {
            throw new GitHubApiException(FailureClass.Permanent, $"GitHub answered {answer.Status} with a body that is not a {typeof(T).Name}: {exception.Message}", answer.Status, inner: exception);
        }
    }

    static string WithPageSize(string uri) =>
        uri.Contains("per_page=", StringComparison.Ordinal) ? uri : uri + (uri.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"per_page={PageSize}";

    static string Escape(string segment) => Uri.EscapeDataString(segment);

    static string RepoPath(string owner, string repo) => $"repos/{Escape(owner)}/{Escape(repo)}";

    static string Repository(string owner, string repo) => $"{owner}/{repo}";
}
