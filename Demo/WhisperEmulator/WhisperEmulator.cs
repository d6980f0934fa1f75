using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Baton.Activities.Transcription;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Baton.Demo.WhisperEmulator;

/// <summary>What Baton sent to a transcription endpoint.</summary>
/// <param name="Path"><c>/v1/audio/transcriptions</c> or <c>/inference</c>.</param>
/// <param name="Fields">The multipart parts other than the file.</param>
/// <param name="FileHead">The file's first bytes (up to 64).</param>
/// <param name="Wav">The file's WAV header, when it is one.</param>
/// <param name="Authorization">The Authorization header as sent, or null.</param>
public sealed record WhisperCall(string Path, IReadOnlyDictionary<string, string> Fields, string? FileName, string? FileContentType, long FileLength,
    byte[] FileHead, WavHeader? Wav, string? Authorization)
{
    /// <summary>The file is complete 16 kHz mono 16-bit PCM WAV, as Baton promises every provider.</summary>
    public bool IsWhisperWav => Wav is { IsWhisperReady: true, IsComplete: true };

    public string? Field(string name) => Fields.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A local Whisper server for tests and the demo, speaking both protocols Baton calls as recorded in
/// <c>shared/fixtures/transcription</c>: OpenAI's <c>POST /v1/audio/transcriptions</c> (json, verbose_json with segments,
/// text; bearer key checked when <see cref="ApiKey"/> is set; <see cref="JsonOnlyModels"/> refuse verbose_json as
/// OpenAI's gpt-4o models do) and whisper.cpp's <c>POST /inference</c> (json, verbose_json with segments and words, text;
/// WAV only, as a server without <c>--convert</c>; errors rewritten by its error handler as in <c>errors.json</c>).
/// Scripted replies are answered in order, then <see cref="Fallback"/>, then a 500. Every call is recorded. No timing
/// tricks: a "hanging" reply waits for the client to give up, a "reset" reply drops the connection.
/// </summary>
public sealed class WhisperEmulator : IAsyncDisposable
{
    public const string OpenAiPath = "/v1/audio/transcriptions";
    public const string WhisperCppPath = "/inference";

    readonly ConcurrentQueue<WhisperReply> script = new();
    readonly ConcurrentQueue<WhisperCall> calls = new();
    WebApplication? app;

    /// <summary>The server root (ends with <c>/</c>): use it as <c>Transcription__BaseUrl</c>.</summary>
    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>When set, the OpenAI endpoint wants <c>Authorization: Bearer {ApiKey}</c> (401 otherwise).</summary>
    public string? ApiKey { get; set; }

    /// <summary>Models that answer only json or text (OpenAI's gpt-4o transcribers): verbose_json gets a 400.</summary>
    public ISet<string> JsonOnlyModels { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Answers when the script is empty (the demo's listener).</summary>
    public Func<WhisperCall, WhisperReply>? Fallback { get; set; }

    public IReadOnlyList<WhisperCall> Calls => [.. calls];

    /// <summary>Queues replies, answered in order whichever endpoint is called.</summary>
    public void Script(params WhisperReply[] replies)
    {
        foreach (var reply in replies) script.Enqueue(reply);
    }

    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (app is not null) throw new InvalidOperationException("The emulator is already started.");
        (app, var address) = await EmulatorHost.StartAsync(port, web =>
        {
            web.MapPost(OpenAiPath, (Delegate)OpenAiAsync);
            web.MapPost(WhisperCppPath, (Delegate)WhisperCppAsync);
            web.MapGet("/health", () => Results.Json(new JsonObject { ["status"] = "ok" }));
        }, cancellationToken);
        BaseUrl = new Uri(address + "/");
        return BaseUrl;
    }

    async Task<IResult> OpenAiAsync(HttpContext context)
    {
        var call = await RecordAsync(context);
        if (call is null) return OpenAiError(400, "Could not parse multipart form", "file");
        if (ApiKey is not null && call.Authorization != $"Bearer {ApiKey}")
            return OpenAiError(401, $"Incorrect API key provided: {Masked(call.Authorization)}. You can find your API key at https://platform.openai.com/account/api-keys.", null, "invalid_api_key");
        if (call.FileName is null) return OpenAiError(400, "you must provide a file", "file");
        if (call.Field("model") is not { Length: > 0 } model) return OpenAiError(400, "you must provide a model parameter", "model");
        var format = call.Field("response_format") ?? "json";
        if (format == "verbose_json" && JsonOnlyModels.Contains(model))
            return OpenAiError(400, $"response_format 'verbose_json' is not compatible with model '{model}'. Use 'json' or 'text' instead.", "response_format", "unsupported_value");
        if (format is not ("json" or "verbose_json" or "text"))
            return OpenAiError(400, $"response_format '{format}' is not served by the emulator", "response_format");

        var reply = Next(call);
        if (await FaultAsync(context, reply) is { } fault) return fault;
        if (reply.Status != 200) return OpenAiError(reply.Status, reply.Text, null, retryAfter: reply.RetryAfter, context: context);
        var duration = Duration(call, reply);
        return format switch
        {
            "text" => Results.Text(reply.Text, "text/plain; charset=utf-8"),
            "json" => Results.Json(new JsonObject { ["text"] = reply.Text }),
            _ => Results.Json(new JsonObject
            {
                ["task"] = "transcribe",
                ["language"] = reply.Language,
                ["duration"] = duration,
                ["text"] = reply.Text,
                ["segments"] = reply.Text.Length == 0 ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["id"] = 0,
                    ["seek"] = 0,
                    ["start"] = 0.0,
                    ["end"] = duration,
                    ["text"] = " " + reply.Text,
                    ["tokens"] = Tokens(reply.Text),
                    ["temperature"] = 0.0,
                    ["avg_logprob"] = -0.25,
                    ["compression_ratio"] = 1.2,
                    ["no_speech_prob"] = 0.01,
                }),
                ["usage"] = new JsonObject { ["type"] = "duration", ["seconds"] = (int)Math.Ceiling(duration) },
            }),
        };
    }

    async Task<IResult> WhisperCppAsync(HttpContext context)
    {
        var call = await RecordAsync(context);
        // The handler's own errors, as its error handler rewrites them (errors.json): a missing file or audio it cannot
        // read (no --convert) is a 400, whose body becomes "Invalid request".
        if (call?.FileName is null) return WhisperCppError(400, "no 'file' field in the request");
        if (call.Wav is not { IsComplete: true }) return WhisperCppError(400, "failed to read audio data");
        var format = call.Field("response_format") ?? "json";

        var reply = Next(call);
        if (await FaultAsync(context, reply) is { } fault) return fault;
        if (reply.Status != 200)
        {
            if (reply.RetryAfter is { } wait) context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            return reply.FromWhisperCpp ? WhisperCppError(reply.Status, reply.Text) : Results.Json(new JsonObject { ["error"] = reply.Text }, statusCode: reply.Status);
        }
        var duration = Duration(call, reply);
        var timestamps = call.Field("token_timestamps") is not "false";
        // whisper.cpp writes each segment with a leading space and a newline after it.
        var text = reply.Text.Length == 0 ? "" : $" {reply.Text}\n";
        return format switch
        {
            "text" => Results.Text(text, "text/html; charset=utf-8"),
            "json" => Results.Json(call.Field("detect_language") == "true"
                ? new JsonObject { ["text"] = text, ["language"] = reply.Language }
                : new JsonObject { ["text"] = text }),
            "verbose_json" => Results.Json(new JsonObject
            {
                ["task"] = "transcribe",
                ["language"] = reply.Language,
                ["duration"] = duration,
                ["text"] = text,
                ["segments"] = reply.Text.Length == 0 ? new JsonArray() : new JsonArray(new JsonObject
                {
                    ["id"] = 0,
                    ["text"] = " " + reply.Text,
                    ["start"] = 0.0,
                    ["end"] = duration,
                    ["tokens"] = Tokens(reply.Text),
                    ["words"] = Words(reply.Text, duration, timestamps),
                    ["temperature"] = 0.0,
                    ["avg_logprob"] = -0.25,
                    ["no_speech_prob"] = 0.01,
                }),
                ["detected_language"] = reply.Language,
                ["detected_language_probability"] = 0.97,
                ["language_probabilities"] = new JsonObject { ["en"] = 0.97 },
            }),
            _ => WhisperCppError(400, $"unsupported response_format {format}"),
        };
    }

    WhisperReply Next(WhisperCall call) =>
        script.TryDequeue(out var next) ? next : Fallback?.Invoke(call) ?? WhisperReply.Error(500, "no scripted reply left");

    static async Task<IResult?> FaultAsync(HttpContext context, WhisperReply reply)
    {
        switch (reply.Fault)
        {
            case WhisperFault.Hang:
                // Answers only when the client gives up (its time-out), so a time-out test needs no clock here.
                var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (context.RequestAborted.Register(() => abandoned.TrySetResult()))
                    await abandoned.Task;
                return Results.Empty;
            case WhisperFault.Reset:
                context.Abort();
                return Results.Empty;
            default:
                return null;
        }
    }

    static async Task<WhisperCall?> RecordAsyncCore(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return null;
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var fields = form.Where(f => f.Key != "file").ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal);
        var file = form.Files.GetFile("file");
        var authorization = context.Request.Headers.Authorization.ToString();
        if (file is null)
            return new WhisperCall(context.Request.Path, fields, null, null, 0, [], null, authorization.Length == 0 ? null : authorization);
        using var bytes = new MemoryStream();
        await file.CopyToAsync(bytes, context.RequestAborted);
        bytes.Position = 0;
        var wav = WavHeader.TryRead(bytes);
        var head = bytes.ToArray()[..(int)Math.Min(AudioFormats.HeadLength, bytes.Length)];
        return new WhisperCall(context.Request.Path, fields, file.FileName, file.ContentType, file.Length, head, wav, authorization.Length == 0 ? null : authorization);
    }

    async Task<WhisperCall?> RecordAsync(HttpContext context)
    {
        var call = await RecordAsyncCore(context);
        if (call is not null) calls.Enqueue(call);
        return call;
    }

    static double Duration(WhisperCall call, WhisperReply reply) =>
        Math.Round(reply.DurationSeconds ?? call.Wav?.Duration.TotalSeconds ?? 0, 3);

    static JsonArray Tokens(string text) =>
        [.. text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select((w, i) => (JsonNode)(1000 + (w.Length * 31 + i) % 40000))];

    static JsonArray Words(string text, double duration, bool timestamps)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var each = words.Length == 0 ? 0 : duration / words.Length;
        return [.. words.Select((w, i) => (JsonNode)(timestamps
            ? new JsonObject { ["word"] = " " + w, ["start"] = Math.Round(i * each, 2), ["end"] = Math.Round((i + 1) * each, 2), ["t_dtw"] = -1, ["probability"] = 0.9 }
            : new JsonObject { ["word"] = " " + w, ["probability"] = 0.9 }))];
    }

    /// <summary>OpenAI's error body (<c>ErrorResponse</c>: type, message, param, code).</summary>
    static IResult OpenAiError(int status, string message, string? param, string? code = null, TimeSpan? retryAfter = null, HttpContext? context = null)
    {
        if (retryAfter is { } wait && context is not null) context.Response.Headers.RetryAfter = ((int)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var type = status switch { 429 => "requests", >= 500 => "server_error", _ => "invalid_request_error" };
        return Results.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["param"] = param, ["code"] = code ?? (status == 429 ? "rate_limit_exceeded" : null) },
        }, statusCode: status);
    }

    /// <summary>What whisper.cpp's error handler makes of a handler's error (errors.json): a 400's body becomes the text
    /// "Invalid request", a 500 keeps its JSON, and any other status becomes a 404 "File Not Found".</summary>
    static IResult WhisperCppError(int status, string error) => status switch
    {
        400 => Results.Text("Invalid request", "text/plain", statusCode: 400),
        500 => Results.Json(new JsonObject { ["error"] = error }, statusCode: 500),
        _ => Results.Text($"File Not Found ({WhisperCppPath})", "text/plain", statusCode: 404),
    };

    static string Masked(string? authorization)
    {
        var key = authorization?.StartsWith("Bearer ", StringComparison.Ordinal) == true ? authorization[7..] : authorization ?? "";
        return key.Length <= 8 ? "***" : $"{key[..3]}{new string('*', key.Length - 7)}{key[^4..]}";
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
