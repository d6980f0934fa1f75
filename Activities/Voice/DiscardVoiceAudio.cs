using Baton.Activities.Transcription;
using Baton.Orchestrations.Voice;
using Microsoft.DurableTask;

namespace Baton.Activities.Voice;

/// <summary>Deletes a finished request's audio: the upload and every file made from it (<c>{id}.*</c> beside it). People's
/// voices are kept no longer than the request needs them; the transcript lives on in the ticket. Safe to repeat.</summary>
public sealed class DiscardVoiceAudio : TaskActivity<TranscriptionRequest, bool>
{
    public override Task<bool> RunAsync(TaskActivityContext context, TranscriptionRequest request)
    {
        if (!VoiceIds.IsId(request.VoiceId) || Path.GetDirectoryName(request.AudioPath) is not { Length: > 0 } folder || !Directory.Exists(folder))
            return Task.FromResult(false);
        var deleted = false;
        foreach (var file in Directory.EnumerateFiles(folder, request.VoiceId + ".*"))
        {
            File.Delete(file);
            deleted = true;
        }
        return Task.FromResult(deleted);
    }
}
