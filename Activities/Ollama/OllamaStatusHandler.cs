using System.Text.Json;

namespace Baton.Activities.Ollama;

/// <summary>
/// Turns an unsuccessful Ollama answer into an <see cref="OllamaApiException"/> classified from its status, with
/// Ollama's own <c>{"error": …}</c> text, before OllamaSharp sees the response (it would lose both).
/// </summary>
public sealed class OllamaStatusHandler(ILogger<OllamaStatusHandler> logger) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (OllamaFailures.Classify(status) is not { } failure) return response;
        using (response)
        {
            var error = ErrorText(await response.Content.ReadAsStringAsync(cancellationToken));
            var path = request.RequestUri?.AbsolutePath ?? "";
            OllamaLog.Failed(logger, path, failure, status, error);
            var retryAfter = response.Headers.TryGetValues("Retry-After", out var values) ? OllamaFailures.RetryAfter(values.FirstOrDefault()) : null;
            throw new OllamaApiException(failure, $"Ollama {path} answered {status}: {error}", status,
                failure == Baton.Failures.FailureClass.RateLimited ? retryAfter ?? OllamaFailures.DefaultRateLimitWait : null);
        }
    }

    static string? ErrorText(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) ? error.ToString() : null;
        }
        catch (JsonException)
        {
            return body.Length <= 200 ? body : body[..200];
        }
    }
}
