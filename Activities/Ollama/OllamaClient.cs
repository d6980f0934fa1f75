using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Baton.Failures;
using Microsoft.Extensions.Options;
using OllamaSharp;
using OllamaSharp.Models;
using OllamaSharp.Models.Chat;

namespace Baton.Activities.Ollama;

/// <summary>
/// Baton's one use of Ollama: a non-streaming <c>/api/chat</c> whose answer must follow a JSON schema (<c>format</c>),
/// through OllamaSharp over this typed HttpClient. Non-streaming because a streamed answer can swallow a mid-stream
/// error (STACK.md); failures are classified from the status by <see cref="OllamaStatusHandler"/>.
/// </summary>
public sealed class OllamaClient(HttpClient http, IOptions<OllamaOptions> options, ILogger<OllamaClient> logger)
{
    readonly OllamaOptions settings = options.Value;

    /// <summary>The assistant's answer (JSON text, which the caller validates) to <paramref name="system"/> and <paramref name="user"/>.</summary>
    public async Task<string> ChatJsonAsync(string system, string user, JsonElement schema, CancellationToken cancellationToken)
    {
        if (settings.BaseUrl is null) throw new OllamaApiException(FailureClass.Permanent, "Ollama is not configured (Ollama__BaseUrl).");
        var api = new OllamaApiClient(http, settings.Model);
        var request = new ChatRequest
        {
            Model = settings.Model,
            Stream = false,
            Format = schema,
            Messages = [new Message(ChatRole.System, system), new Message(ChatRole.User, user)],
            Options = new RequestOptions { Temperature = (float)settings.Temperature },
        };
        var started = Stopwatch.GetTimestamp();
        var answer = new StringBuilder();
        try
        {
            await foreach (var part in api.ChatAsync(request, cancellationToken))
                answer.Append(part?.Message?.Content);
        }
        catch (OllamaApiException)
        {
            throw;
        }
        catch (HttpRequestException e)
        {
            var status = (int?)e.StatusCode;
            throw new OllamaApiException(status is { } s ? OllamaFailures.Classify(s) ?? FailureClass.Transient : FailureClass.Transient,
                $"Ollama /api/chat failed: {e.Message}", status, inner: e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OllamaApiException(FailureClass.Timeout, $"Ollama /api/chat did not answer within {settings.RequestTimeout}.", inner: e);
        }
        OllamaLog.Answered(logger, settings.Model, answer.Length, Stopwatch.GetElapsedTime(started));
        return answer.ToString();
    }
}
