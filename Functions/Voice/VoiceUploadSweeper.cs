using Baton.Orchestrations.Voice;
using Microsoft.DurableTask.Client;

namespace Baton.Functions.Voice;

/// <summary>
/// Deletes what a crash can leave in the upload folder. A request deletes its own audio when it ends (DiscardVoiceAudio),
/// but a host killed between storing an upload and starting its orchestration, or mid-upload, leaves files no request
/// will ever delete; so do requests terminated or purged by hand. Every hour, files untouched for an hour are deleted when
/// their request (<c>{id}.*</c>) has no instance or has finished. Files being written are touched, so they are never
/// taken; with several hosts sharing the folder each sweeps, and deleting twice is harmless.
/// </summary>
public sealed class VoiceUploadSweeper(VoiceFolder folder, DurableTaskClient client, TimeProvider clock, ILogger<VoiceUploadSweeper> logger)
    : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromHours(1);

    /// <summary>How long a file must have been left alone before it may be swept.</summary>
    public static readonly TimeSpan MinimumAge = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                VoiceLog.SweepFailed(logger, e.Message);
            }
            await Task.Delay(Every, clock, stoppingToken);
        }
    }

    /// <summary>One sweep; returns how many files it deleted.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(folder.Path)) return 0;
        var deleted = 0;
        var cutoff = clock.GetUtcNow().UtcDateTime - MinimumAge;
        foreach (var group in Directory.EnumerateFiles(folder.Path).GroupBy(RequestOf))
        {
            if (group.Key is not { } id) continue;
            var old = group.Where(f => File.GetLastWriteTimeUtc(f) < cutoff).ToList();
            if (old.Count == 0) continue;
            var instance = await client.GetInstanceAsync(VoiceIds.InstanceIdFor(id), getInputsAndOutputs: false, cancellationToken);
            if (instance is { IsCompleted: false }) continue;
            foreach (var file in old)
            {
                File.Delete(file);
                deleted++;
            }
            VoiceLog.Swept(logger, id, old.Count, instance is null ? "no request" : instance.RuntimeStatus.ToString());
        }
        return deleted;
    }

    /// <summary>The request a file belongs to (<c>{id}.upload</c>, <c>{id}.wav</c>, <c>{id}.upload.tmp</c>, …), or null.</summary>
    static string? RequestOf(string path) => Path.GetFileName(path).Split('.')[0] is var id && VoiceIds.IsId(id) ? id : null;
}
