using System.Globalization;
using System.Text;
using System.Text.Json;
using Baton.Activities.Voice;
using Baton.Durable.Serialization;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Voice;

/// <summary>
/// <c>GET /api/voice/{id}</c> (the request's <see cref="VoiceStatus"/>) and <c>GET /api/voice/{id}/events</c> (the same
/// events as server-sent events, replayed after <c>Last-Event-ID</c>, followed until the request finishes). Both read the
/// orchestration's custom status through the Durable Task client only.
/// </summary>
public sealed class VoiceProgressFunctions(VoiceCallers callers, IOptionsMonitor<VoiceOptions> options, TimeProvider clock)
{
    /// <summary>Proxies close a silent connection after a minute or so; a comment line keeps it open.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public async Task<IResult> StatusAsync(string id, HttpContext http, DurableTaskClient client)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, changesState: false);
        if (caller is null) return refusal!;
        var status = await ReadAsync(client, id, clock, http.RequestAborted);
        return status is null ? NotFound(id) : TypedResults.Json(status, DurableJson.Options);
    }

    public async Task<IResult> EventsAsync(string id, HttpContext http, DurableTaskClient client)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, changesState: false);
        if (caller is null) return refusal!;
        var cancellationToken = http.RequestAborted;
        var status = await ReadAsync(client, id, clock, cancellationToken);
        if (status is null) return NotFound(id);

        var response = http.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no";
        var sent = LastEventId(http.Request);
        var quietSince = clock.GetUtcNow();
        try
        {
            await response.Body.FlushAsync(cancellationToken);
            while (true)
            {
                foreach (var progress in status.Events.Where(e => e.Seq > sent))
                {
                    await WriteAsync(response, Event(progress), cancellationToken);
                    sent = progress.Seq;
                    quietSince = clock.GetUtcNow();
                }
                if (status.IsFinished) break;
                if (clock.GetUtcNow() - quietSince >= Heartbeat)
                {
                    await WriteAsync(response, ": still working\n\n", cancellationToken);
                    quietSince = clock.GetUtcNow();
                }
                await Task.Delay(options.CurrentValue.EventPoll, clock, cancellationToken);
                status = await ReadAsync(client, id, clock, cancellationToken) ?? status;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
        }
        return Results.Empty;
    }

    /// <summary>The request's progress; null when <paramref name="id"/> is malformed or unknown. A request whose
    /// orchestration ended without saying so (failed, terminated, or completed without a final event) ends with a <see cref="VoiceSteps.Failed"/> event made
    /// here, so a follower is never left waiting.</summary>
    public static async Task<VoiceStatus?> ReadAsync(DurableTaskClient client, string id, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!VoiceIds.IsId(id)) return null;
        // The custom status comes only with the inputs and outputs (they are small: the request and its outcome).
        var instance = await client.GetInstanceAsync(VoiceIds.InstanceIdFor(id), getInputsAndOutputs: true, cancellationToken);
        if (instance is null) return null;
        var status = instance.SerializedCustomStatus is null ? new VoiceStatus(id, []) : instance.ReadCustomStatusAs<VoiceStatus>() ?? new VoiceStatus(id, []);
        if (status.IsFinished || instance.RuntimeStatus is not (OrchestrationRuntimeStatus.Completed or OrchestrationRuntimeStatus.Failed
                or OrchestrationRuntimeStatus.Terminated))
            return status;
        var reason = instance.RuntimeStatus switch
        {
            OrchestrationRuntimeStatus.Terminated => "The request was stopped by an operator.",
            OrchestrationRuntimeStatus.Completed => "The request ended without saying how; an operator can see it in the logs.",
            _ => "The request stopped on an unexpected error; an operator can see it in the logs. Try sending the recording again.",
        };
        return status.With(VoiceSteps.Failed, instance.LastUpdatedAt.UtcDateTime, e => e with { Reason = reason });
    }

    /// <summary>One event: <c>id</c> is the sequence number (what <c>Last-Event-ID</c> brings back), <c>event</c> the step.</summary>
    static string Event(VoiceProgress progress) =>
        $"id: {progress.Seq.ToString(CultureInfo.InvariantCulture)}\nevent: {progress.Step}\ndata: {JsonSerializer.Serialize(progress, DurableJson.Options)}\n\n";

    static async Task WriteAsync(HttpResponse response, string text, CancellationToken cancellationToken)
    {
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);
        await response.Body.FlushAsync(cancellationToken);
    }

    /// <summary>The header an <c>EventSource</c> sends when it reconnects; a malformed one counts as none.</summary>
    static int LastEventId(HttpRequest request) =>
        int.TryParse(request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;

    internal static IResult NotFound(string id) =>
        TypedResults.Problem(VoiceIds.IsId(id) ? "No voice request has that id." : "That is not a voice request id (32 lowercase hex digits).",
            statusCode: StatusCodes.Status404NotFound, title: "Not found");
}
