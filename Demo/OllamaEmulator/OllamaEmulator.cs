using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Baton.Demo.OllamaEmulator;

/// <summary>A scripted answer: <see cref="Content"/> as the assistant's message, or an error status with Ollama's error text.</summary>
public sealed record OllamaReply(string Content, int Status = 200)
{
    public static OllamaReply Error(int status, string error) => new(error, status);
}

/// <summary>What Baton sent to <c>/api/chat</c>.</summary>
public sealed record OllamaChatCall(string Model, bool? Stream, JsonNode? Format, IReadOnlyList<(string Role, string Content)> Messages);

/// <summary>
/// A local Ollama for tests and the demo: <c>POST /api/chat</c> on loopback answers non-streaming requests with scripted
/// replies in order (plans, malformed JSON, error statuses), in the recorded response shape; with no script left it
/// answers with <see cref="Fallback"/> when set, else 500 as Ollama does on a failure. Every call is recorded.
/// </summary>
public sealed class OllamaEmulator : IAsyncDisposable
{
    readonly ConcurrentQueue<OllamaReply> script = new();
    readonly ConcurrentQueue<OllamaChatCall> calls = new();
    WebApplication? app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Answers when the script is empty (the demo's model).</summary>
    public Func<OllamaChatCall, OllamaReply>? Fallback { get; set; }

    public IReadOnlyList<OllamaChatCall> Calls => [.. calls];

    /// <summary>Queues replies, answered in order.</summary>
    public void Script(params OllamaReply[] replies)
    {
        foreach (var reply in replies) script.Enqueue(reply);
    }

    public async Task<Uri> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        if (app is not null) throw new InvalidOperationException("The emulator is already started.");
        (app, var address) = await EmulatorHost.StartAsync(port, web =>
        {
            web.MapPost("/api/chat", ChatAsync);
            web.MapGet("/api/version", () => Results.Json(new JsonObject { ["version"] = "0.12.0" }));
        }, cancellationToken);
        BaseUrl = new Uri(address + "/");
        return BaseUrl;
    }

    async Task<IResult> ChatAsync(HttpRequest request)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body);
        }
        catch (JsonException)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid character in request body" }, statusCode: 400);
        }
        var call = new OllamaChatCall(body?["model"]?.GetValue<string>() ?? "", body?["stream"]?.GetValue<bool>(), body?["format"]?.DeepClone(),
            [.. (body?["messages"] as JsonArray ?? []).Select(m => (m?["role"]?.GetValue<string>() ?? "", m?["content"]?.GetValue<string>() ?? ""))]);
        calls.Enqueue(call);
        if (call.Stream != false)
            return Results.Json(new JsonObject { ["error"] = "the emulator answers only non-streaming chats (stream: false)" }, statusCode: 400);
        var reply = script.TryDequeue(out var next) ? next : Fallback?.Invoke(call) ?? OllamaReply.Error(500, "no scripted reply left");
        if (reply.Status != 200) return Results.Json(new JsonObject { ["error"] = reply.Content }, statusCode: reply.Status);
        return Results.Json(new JsonObject
        {
            ["model"] = call.Model,
            ["created_at"] = "2026-12-03T12:00:00.000000Z",
            ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Content },
            ["done"] = true,
            ["done_reason"] = "stop",
            ["total_duration"] = 1_000_000,
            ["load_duration"] = 1_000,
            ["prompt_eval_count"] = 100,
            ["prompt_eval_duration"] = 1_000,
            ["eval_count"] = 50,
            ["eval_duration"] = 1_000,
        });
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
