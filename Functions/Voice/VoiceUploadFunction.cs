using System.Collections.Concurrent;
using System.ComponentModel;
using Baton.Activities.Voice;
using Baton.Durable.Http;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Options;

namespace Baton.Functions.Voice;

/// <summary>
/// <c>POST /api/voice</c>: identify the caller, store the audio (streamed, checked by its bytes), measure it, start the
/// request's <see cref="VoiceIntakeOrchestration"/> under <c>voice:{id}</c> and answer 202 with where to follow it. Every refusal
/// is a problem and leaves no file and no instance behind.
/// </summary>
public sealed class VoiceUploadFunction(VoiceCallers callers, AudioProbe probe, IOptionsMonitor<VoiceOptions> options, VoiceFolder folder,
    TimeProvider clock, ILogger<VoiceUploadFunction> logger)
{
    /// <summary>How many uploads one caller (an API key, a member) may have in flight on this host at once: a script
    /// stuck in a loop, or a slow sender, cannot fill the disk and the probe's processes on its own.</summary>
    public const int MaxInFlightPerCaller = 2;

    readonly ConcurrentDictionary<string, int> inFlight = new(StringComparer.Ordinal);

    public async Task<IResult> ReceiveAsync(HttpContext http, DurableTaskClient client)
    {
        var (caller, refusal) = await callers.IdentifyAsync(http, changesState: true);
        if (caller is null) return refusal!;
        if (!TryEnter(caller.Name))
        {
            http.Response.Headers.RetryAfter = "5";
            return TypedResults.Problem($"{MaxInFlightPerCaller} uploads from you are still arriving; send this one when they are done.",
                statusCode: StatusCodes.Status429TooManyRequests, title: "Too many uploads");
        }
        var id = VoiceIds.NewId();
        try
        {
            var upload = await VoiceUploads.ReceiveAsync(http.Request, folder.Path, id, options.CurrentValue.MaxUploadBytes, http.RequestAborted);
            var duration = await AcceptAsync(upload, id, http.RequestAborted);
            var request = new VoiceRequest(id, VoiceUploads.FinalPath(folder.Path, id), upload.Format, upload.Bytes, caller.Name,
                clock.GetUtcNow().UtcDateTime, upload.Project);
            // Not tied to RequestAborted: once the audio is stored, the request goes ahead even if the sender hung up.
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(VoiceIntakeOrchestration), request,
                new StartOrchestrationOptions { InstanceId = VoiceIds.InstanceIdFor(id) }, CancellationToken.None);
            VoiceLog.Received(logger, id, caller.Name, upload.Format, upload.Bytes, duration.TotalSeconds);
        }
        catch (HttpProblem problem)
        {
            VoiceLog.Refused(logger, problem.Status, problem.Detail);
            return problem.ToResult();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The sender hung up mid-upload: its partial file is gone (VoiceUploads), and there is no one to answer.
            VoiceLog.Abandoned(logger, id);
            return Results.Empty;
        }
        finally
        {
            Leave(caller.Name);
        }
        var receipt = VoiceReceipt.For(id);
        return TypedResults.Accepted(receipt.StatusUrl, receipt);
    }

    /// <summary>Measures the stored upload (422 when it cannot be used or is too long) and gives it its final name; on any
    /// refusal the file is removed.</summary>
    async Task<TimeSpan> AcceptAsync(StoredUpload upload, string id, CancellationToken cancellationToken)
    {
        try
        {
            var check = await probe.CheckAsync(upload.Path, cancellationToken);
            if (!check.IsUsable) throw Unprocessable(check.Problem!);
            var longest = options.CurrentValue.MaxDuration;
            if (check.Duration > longest)
                throw Unprocessable($"The recording lasts {check.Duration.TotalSeconds:0.0} s, longer than the {longest.TotalSeconds:0} s allowed (Voice__MaxDuration).");
            File.Move(upload.Path, VoiceUploads.FinalPath(folder.Path, id));
            return check.Duration;
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            File.Delete(upload.Path);
            VoiceLog.ProbeFailed(logger, id, e.Message);
            throw new HttpProblem(StatusCodes.Status503ServiceUnavailable, "Audio tools unavailable",
                "The server could not measure the recording (ffmpeg/ffprobe did not run); try again later.");
        }
        catch
        {
            File.Delete(upload.Path);
            throw;
        }
    }

    bool TryEnter(string caller)
    {
        while (true)
        {
            var current = inFlight.GetValueOrDefault(caller);
            if (current >= MaxInFlightPerCaller) return false;
            if (current == 0 ? inFlight.TryAdd(caller, 1) : inFlight.TryUpdate(caller, current + 1, current)) return true;
        }
    }

    void Leave(string caller)
    {
        while (true)
        {
            var current = inFlight[caller];
            if (current == 1 ? inFlight.TryRemove(new KeyValuePair<string, int>(caller, 1)) : inFlight.TryUpdate(caller, current - 1, current)) return;
        }
    }

    static HttpProblem Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, "Unprocessable recording", detail);
}
