using System.Collections.Concurrent;
using Baton.Orchestrations;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;

namespace Baton.Activities.Agents;

/// <summary>
/// Records that a runner asked for work, through its <see cref="RunnerPresenceOrchestration"/>: raises a sighting on the
/// live instance, or starts one when there is none. At most one write per runner every <see cref="Every"/> on this host,
/// and never a reason for the poll to fail: presence is for people to look at, not something work depends on.
/// </summary>
public sealed partial class RunnerSightings(DurableTaskClient client, TimeProvider clock, ILogger<RunnerSightings> logger)
{
    static readonly TimeSpan Every = TimeSpan.FromSeconds(15);
    readonly ConcurrentDictionary<string, DateTimeOffset> lastWritten = new(StringComparer.Ordinal);

    public async Task SeenAsync(string runnerId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (lastWritten.TryGetValue(runnerId, out var last) && now - last < Every) return;
        lastWritten[runnerId] = now;
        var instanceId = RunnerPresenceOrchestration.InstanceIdFor(runnerId);
        try
        {
            var instance = await client.GetInstanceAsync(instanceId, cancellationToken);
            if (instance?.IsRunning == true || instance?.RuntimeStatus == OrchestrationRuntimeStatus.Pending)
            {
                await client.RaiseEventAsync(instanceId, RunnerPresenceOrchestration.Seen, null, cancellationToken);
                return;
            }
            // None, or gone offline: a finished instance under the id is replaced.
            await client.ScheduleNewOrchestrationInstanceAsync(nameof(RunnerPresenceOrchestration),
                new RunnerPresence(runnerId, now.UtcDateTime, Online: true), new StartOrchestrationOptions(instanceId), cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Another replica started it meanwhile, or the store is busy: the next poll tries again.
            lastWritten.TryRemove(runnerId, out _);
            NotRecorded(logger, runnerId, e.GetType().Name);
        }
    }

    [LoggerMessage(EventId = 3130, Level = LogLevel.Debug, Message = "Runner {RunnerId}'s sighting was not recorded ({Error}); the next poll tries again")]
    static partial void NotRecorded(ILogger logger, string runnerId, string error);
}
