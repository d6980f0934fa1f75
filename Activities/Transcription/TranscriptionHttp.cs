using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using Baton.Failures;

namespace Baton.Activities.Transcription;

/// <summary>
/// The one multipart POST both HTTP providers make, with their shared failure handling: the status classified
/// (<see cref="TranscriptionFailures"/>), the server's own error text (OpenAI's <c>{"error": {"message": …}}</c>,
/// whisper.cpp's <c>{"error": …}</c> or its plain-text pages) shortened and stripped of the key, a time-out of its own
/// (<see cref="TranscriptionOptions.Timeout"/>) reported as Timeout, a dropped connection as Transient. No retry here:
/// a retry re-sends the whole recording, so it is the engine's (ARCHITECTURE.md §2.6).
/// </summary>
internal sealed partial class TranscriptionHttp(HttpClient http, TimeProvider clock, ILogger logger, string provider)
{
    const int MaxErrorText = 300;

    /// <summary>A multipart body with the WAV as the <c>file</c> part followed by <paramref name="fields"/>, each name
    /// quoted as curl writes it (the form both servers document their requests in).</summary>
    public static MultipartFormDataContent Form(string wavPath, IEnumerable<(string Name, string Value)> fields)
    {
        FileStream audio;
        try
        {
            audio = File.OpenRead(wavPath);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new TranscriptionException(FailureClass.Permanent, $"the converted recording {Path.GetFileName(wavPath)} is gone; send the recording again", inner: e);
        }
        var form = new MultipartFormDataContent();
        var file = new StreamContent(audio);
        file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        file.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = $"\"{Path.GetFileName(wavPath)}\"" };
        form.Add(file);
        foreach (var (name, value) in fields)
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = $"\"{name}\"" };
            form.Add(part);
        }
        return form;
    }

    /// <summary>Posts <paramref name="form"/> to <paramref name="target"/> and returns the body of a successful answer.</summary>
    /// <param name="secret">Sent by the caller in <paramref name="authorization"/>; removed from any error text.</param>
    public async Task<(string Body, string? ContentType)> PostAsync(Uri target, MultipartFormDataContent form, AuthenticationHeaderValue? authorization,
        string? secret, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = target.AbsolutePath;
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = form };
        request.Headers.Authorization = authorization;
        request.Headers.Accept.ParseAdd("application/json");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, limit.Token);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync(limit.Token);
            TranscriptionLog.Answered(logger, provider, path, status, Stopwatch.GetElapsedTime(started));
            if (TranscriptionFailures.Classify(status) is not { } failure) return (body, response.Content.Headers.ContentType?.MediaType);

            var error = ErrorText(body, secret);
            var retryAfter = failure == FailureClass.RateLimited
                ? TranscriptionFailures.RetryAfter(response.Headers.RetryAfter?.ToString(), clock.GetUtcNow()) ?? TranscriptionFailures.DefaultRateLimitWait
                : (TimeSpan?)null;
            if (failure.IsNeverRetried()) TranscriptionLog.FailedForGood(logger, provider, path, failure, status, error);
            else TranscriptionLog.Failed(logger, provider, path, failure, status, retryAfter, error);
            throw new TranscriptionException(failure, $"{provider} POST {path} answered {status}: {error ?? "(no error text)"}", status, retryAfter)
            {
                ServerError = error,
            };
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            TranscriptionLog.Failed(logger, provider, path, FailureClass.Timeout, null, null, null);
            throw new TranscriptionException(FailureClass.Timeout, $"{provider} POST {path} did not answer within {timeout} (Transcription__Timeout)", inner: e);
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            var reason = Redact(e.InnerException?.Message ?? e.Message, secret);
            TranscriptionLog.Failed(logger, provider, path, FailureClass.Transient, null, null, reason);
            throw new TranscriptionException(FailureClass.Transient, $"{provider} POST {path} failed: {reason}", inner: e);
        }
    }

    /// <summary>The error a server wrote, whichever of the recorded shapes it used, shortened and redacted.</summary>
    internal static string? ErrorText(string body, string? secret)
    {
        if (string.IsNullOrWhiteSpace(body)) return null;
        string text = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error))
                text = error.ValueKind switch
                {
                    JsonValueKind.String => error.GetString() ?? "",
                    JsonValueKind.Object when error.TryGetProperty("message", out var message) => message.ToString(),
                    _ => error.ToString(),
                };
        }
        catch (JsonException)
        {
            // Not JSON: whisper.cpp's error handler writes text/plain pages ("Invalid request", "File Not Found (…)").
        }
        text = Redact(Whitespace().Replace(text, " ").Trim(), secret);
        return text.Length <= MaxErrorText ? text : text[..MaxErrorText] + "…";
    }

    /// <summary>Removes the key, and the masked form of it OpenAI echoes ("Incorrect API key provided: sk-ab***yz").</summary>
    static string Redact(string text, string? secret)
    {
        if (!string.IsNullOrEmpty(secret)) text = text.Replace(secret, "[redacted]", StringComparison.Ordinal);
        return MaskedKey().Replace(text, "[redacted]");
    }

    [GeneratedRegex(@"\S*\*{3,}\S*", RegexOptions.CultureInvariant)]
    private static partial Regex MaskedKey();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Whitespace();
}
