using Baton.Failures;
using Microsoft.Extensions.Options;

namespace Baton.Activities.Transcription;

/// <summary>
/// whisper.cpp's own server: <c>POST {BaseUrl}/inference</c> with every parameter a multipart part (the recorded
/// <c>inference.form-fields.json</c>): the WAV as <c>file</c>, <c>response_format=verbose_json</c> for the language and
/// duration, <c>token_timestamps=false</c> (verbose_json would otherwise compute word timings Baton does not use), and
/// <c>language</c> when configured (else the server's own <c>-l</c>; start it with <c>-l auto</c> to detect). The server
/// reads WAV without its <c>--convert</c> option, which is why Baton converts first. Its error pages are classified as
/// recorded in <c>errors.json</c>: a 400 arrives as the text "Invalid request", a 500 keeps its <c>{"error": …}</c>, and
/// any other failure as a 404 "File Not Found".
/// </summary>
public sealed class WhisperCppTranscriber(HttpClient http, IOptions<TranscriptionOptions> options, TimeProvider clock, ILogger<WhisperCppTranscriber> logger)
    : ITranscriber
{
    public const string ProviderName = "whisper-cpp";

    readonly TranscriptionHttp client = new(http, clock, logger, ProviderName);

    public string Name => ProviderName;

    public async Task<Transcript> TranscribeAsync(string wavPath, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var target = Endpoint(settings.BaseUrl)
            ?? throw new TranscriptionException(FailureClass.Permanent, "the whisper.cpp server is not configured (Transcription__BaseUrl)");
        List<(string, string)> fields = [("response_format", "verbose_json"), ("token_timestamps", "false")];
        if (!string.IsNullOrWhiteSpace(settings.Language)) fields.Add(("language", settings.Language.Trim()));
        using var form = TranscriptionHttp.Form(wavPath, fields);
        var (body, contentType) = await client.PostAsync(target, form, authorization: null, secret: null, settings.Timeout, cancellationToken);
        return OpenAiTranscriber.ToTranscript(body, contentType, wavPath, settings, ProviderName);
    }

    /// <summary><c>{BaseUrl}/inference</c>, relative to the base address so that a server started with
    /// <c>--request-path</c> is reached under its prefix.</summary>
    internal static Uri? Endpoint(Uri? baseUrl) =>
        baseUrl is null ? null : new Uri(new Uri(baseUrl.ToString().EndsWith('/') ? baseUrl.ToString() : baseUrl + "/"), "inference");
}
