using Baton.Functions.Voice;
using Baton.Orchestrations.Voice;
using Baton.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Tests.Voice;

/// <summary>What a crash leaves in the upload folder is swept; what a live request or a live upload still needs is not.</summary>
public sealed class VoiceUploadSweeperTests(VoiceWebHost host) : IClassFixture<VoiceWebHost>
{
    [Fact]
    public async Task Files_of_no_request_or_a_finished_one_are_deleted_once_old_and_the_rest_kept()
    {
        Directory.CreateDirectory(host.UploadFolder);
        var old = DateTime.UtcNow - TimeSpan.FromHours(2);
        var orphan = VoiceIds.NewId();                      // stored, then the host died before the request started
        var writing = VoiceIds.NewId();                     // an upload still arriving
        var waiting = await host.StartScriptedAsync(null);  // a request waiting for its clarification
        var finished = await host.StartScriptedAsync("SHOP");
        await host.WaitForStepAsync(waiting, VoiceSteps.ClarificationNeeded);
        await host.WaitForStepAsync(finished, VoiceSteps.Completed);
        await Eventually.HoldsAsync(async () => (await host.Server.Client.GetInstanceAsync(VoiceIds.InstanceIdFor(finished)))?.IsCompleted == true);
        var files = new Dictionary<string, bool>   // name → swept
        {
            [$"{orphan}.upload"] = true,
            [$"{orphan}.wav"] = true,
            [$"{finished}.upload"] = true,
            [$"{waiting}.upload"] = false,
            [$"{writing}.upload.tmp"] = false,
            ["README.txt"] = false,
        };
        foreach (var name in files.Keys)
        {
            var path = Path.Combine(host.UploadFolder, name);
            await File.WriteAllTextAsync(path, "audio");
            if (name != $"{writing}.upload.tmp") File.SetLastWriteTimeUtc(path, old);
        }

        var deleted = await host.Server.Services.GetRequiredService<VoiceUploadSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(3, deleted);
        foreach (var (name, swept) in files)
            Assert.True(File.Exists(Path.Combine(host.UploadFolder, name)) != swept, $"{name} should have been {(swept ? "deleted" : "kept")}");
        Assert.Contains(host.Server.Logs.Entries, e => e.EventId.Id == 1306 && e.Message.Contains(orphan, StringComparison.Ordinal));
        foreach (var name in files.Keys.Where(n => !files[n])) File.Delete(Path.Combine(host.UploadFolder, name));
    }
}
