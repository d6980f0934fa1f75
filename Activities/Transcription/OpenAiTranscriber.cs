using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Baton.Failures;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Transcription;

/// <summary>
/// An OpenAI-compatible <c>POST {BaseUrl}/v1/audio/transcriptions</c> (OpenAI, whisper.cpp's server, faster-whisper,
/// LocalAI): the WAV as <c>file</c>, <c>model</c>, <c>language</c> when configured, and <c>response_format=verbose_json</c>
/// for the language and duration. Models that only answer <c>json</c> (OpenAI's gpt-4o transcribers) refuse that with a
/// 400 naming <c>response_format</c>; the call is then repeated with <c>json</c>, and the model is remembered. The bearer
/// key goes only to a server for which one is configured, and never into a log or a message.
/// </summary>
public sealed class OpenAiTranscriber(HttpClient http, IOptions<TranscriptionOptions> options, TimeProvider clock, ILogger<OpenAiTranscriber> logger)
    : ITranscriber
{
    public const string ProviderName = "openai";

    /// <summary>Base address and model pairs known to answer only <c>json</c> (per process: instances are per call).</summary>
    static readonly ConcurrentDictionary<string, bool> JsonOnlyModels = new(StringComparer.Ordinal);

    readonly TranscriptionHttp client = new(http, clock, logger, ProviderName);

    public string Name => ProviderName;

    public async Task<Transcript> TranscribeAsync(string wavPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var target = Endpoint(settings.BaseUrl)
            ?? throw new TranscriptionException(FailureClass.Permanent, "the OpenAI-compatible transcription server is not configured (Transcription__BaseUrl)");
        var modelKey = $"{target} {settings.Model}";
        if (!JsonOnlyModels.ContainsKey(modelKey))
        {
            try
            {
                return await TranscribeAsync(target, wavPath, "verbose_json", settings, cancellationToken);
            }
            catch (TranscriptionException e) when (e.StatusCode == 400 && e.ServerError?.Contains("response_format", StringComparison.OrdinalIgnoreCase) == true)
            {
                JsonOnlyModels[modelKey] = true;
                TranscriptionLog.JsonOnly(logger, settings.Model);
            }
        }
        return await TranscribeAsync(target, wavPath, "json", settings, cancellationToken);
    }

    async Task<Transcript> TranscribeAsync(Uri target, string wavPath, string responseFormat, TranscriptionOptions settings, CancellationToken cancellationToken)
    {
        List<(string, string)> fields = [("model", settings.Model), ("response_format", responseFormat)];
        if (!string.IsNullOrWhiteSpace(settings.Language)) fields.Add(("language", settings.Language.Trim()));
        var key = string.IsNullOrWhiteSpace(settings.ApiKey) ? null : settings.ApiKey.Trim();
        using var form = TranscriptionHttp.Form(wavPath, fields);
        var (body, contentType) = await client.PostAsync(target, form, key is null ? null : new AuthenticationHeaderValue("Bearer", key), key,
            settings.Timeout, cancellationToken);
        return ToTranscript(body, contentType, wavPath, settings, ProviderName);
    }

    /// <summary><c>{BaseUrl}/v1/audio/transcriptions</c>; a base address that already ends in <c>/v1</c> (as OpenAI's SDKs
    /// write it) is not given a second one.</summary>
    internal static Uri? Endpoint(Uri? baseUrl)
    {
        if (baseUrl is null) return null;
        var root = baseUrl.ToString().TrimEnd('/');
        return new Uri(root.EndsWith("/v1", StringComparison.OrdinalIgnoreCase) ? root + "/audio/transcriptions" : root + "/v1/audio/transcriptions");
    }

    /// <summary>The transcript of a successful answer; the duration falls back to the WAV's own when the server gave none.</summary>
    internal static Transcript ToTranscript(string body, string? contentType, string wavPath, TranscriptionOptions settings, string provider)
    {
        WhisperAnswer answer;
        try
        {
            answer = WhisperAnswer.Parse(body, contentType);
        }
        catch (FormatException e)
        {
            throw new TranscriptionException(FailureClass.Permanent, $"{provider} answered something that is not a transcription: {e.Message}", inner: e);
        }
        var duration = answer.DurationSeconds ?? WavHeader.TryRead(wavPath)?.Duration.TotalSeconds ?? 0;
        var language = answer.Language ?? (string.IsNullOrWhiteSpace(settings.Language) ? null : settings.Language.Trim());
        return new Transcript(WhisperAnswer.Clean(answer.Text), language, duration, provider);
    }
}
