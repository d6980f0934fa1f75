using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Baton.Runner.Protocol;
using Microsoft.Extensions.Options;

namespace Baton.Runner.Connection;

/// <summary>The runner protocol over HTTP to the host at <see cref="RunnerOptions.HostUrl"/>, authenticated with
/// <see cref="RunnerOptions.Token"/> as a Bearer token.</summary>
/// <remarks>No retries here: the runner loop already retries polls and reports with its own pause, and a lost lease
/// must surface at once rather than be retried.</remarks>
public sealed class HttpRunnerConnection : IRunnerConnection
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;

    public HttpRunnerConnection(HttpClient http, IOptions<RunnerOptions> options)
    {
        _http = http;
        var runner = options.Value;
        if (_http.BaseAddress is null && runner.HostUrl is { Length: > 0 } hostUrl)
            _http.BaseAddress = new Uri(hostUrl.EndsWith('/') ? hostUrl : hostUrl + "/");
        if (runner.Token is { Length: > 0 } token)
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // A long-poll waits up to 60 s on the host; the default 100 s time-out leaves room, a shorter one would not.
        if (_http.Timeout < TimeSpan.FromSeconds(90))
            _http.Timeout = TimeSpan.FromSeconds(90);
    }

    public async Task<RunnerRegistered> RegisterAsync(RunnerRegistration registration, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("api/runners/register", registration, Json, cancellationToken);
        await EnsureSuccessAsync(response, jobId: null);
        return await ReadAsync<RunnerRegistered>(response, cancellationToken);
    }

    public async Task<AgentJob?> NextJobAsync(string runnerId, TimeSpan wait, CancellationToken cancellationToken)
    {
        var seconds = (int)Math.Clamp(wait.TotalSeconds, 0, 60);
        using var response = await _http.PostAsync(
            $"api/runners/{Uri.EscapeDataString(runnerId)}/jobs/next?waitSeconds={seconds}", content: null, cancellationToken);
        await EnsureSuccessAsync(response, jobId: null);
        if (response.StatusCode == HttpStatusCode.NoContent)
            return null;
        return await ReadAsync<AgentJob>(response, cancellationToken);
    }

    public async Task<HeartbeatReply> HeartbeatAsync(string jobId, JobHeartbeat heartbeat, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(JobRoute(jobId, "heartbeat"), heartbeat, Json, cancellationToken);
        await EnsureSuccessAsync(response, jobId);
        return await ReadAsync<HeartbeatReply>(response, cancellationToken);
    }

    public async Task SendLogsAsync(string jobId, JobLogLines lines, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(JobRoute(jobId, "logs"), lines, Json, cancellationToken);
        await EnsureSuccessAsync(response, jobId);
    }

    public async Task ReportAsync(string jobId, JobReport report, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync(JobRoute(jobId, "result"), report, Json, cancellationToken);
        await EnsureSuccessAsync(response, jobId);
    }

    private static string JobRoute(string jobId, string action) => $"api/runners/jobs/{Uri.EscapeDataString(jobId)}/{action}";

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
        ?? throw new HttpRequestException($"The host answered {response.RequestMessage?.RequestUri} with an empty body.");

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string? jobId)
    {
        if (response.IsSuccessStatusCode)
            return;
        if (response.StatusCode == HttpStatusCode.Gone && jobId is not null)
            throw new LeaseLostException(jobId);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new RunnerUnauthorizedException(
                $"The host refused the runner token ({(int)response.StatusCode}) on {response.RequestMessage?.RequestUri?.AbsolutePath}.");
        var body = await response.Content.ReadAsStringAsync();
        throw new HttpRequestException(
            $"The host answered {(int)response.StatusCode} on {response.RequestMessage?.RequestUri?.AbsolutePath}: {(body.Length > 300 ? body[..300] : body)}",
            inner: null, response.StatusCode);
    }
}
