using Microsoft.DurableTask;

namespace Baton.Orchestrations;

/// <summary>A runner as the dashboard shows it: when it last asked for work, and whether it still does.</summary>
public sealed record RunnerPresence(string RunnerId, DateTime LastSeen, bool Online);

/// <summary>
/// One runner's presence (<c>runner:{runner id}</c>), so that idle runners are visible too, on any replica: every time the
/// runner asks for work the host raises <see cref="Seen"/> (at most every few seconds), and the custom status keeps when
/// that last happened. Without a sign of life for <see cref="OfflineAfter"/> the runner counts as gone: the instance
/// ends showing its last sighting, and the next poll starts it again.
/// </summary>
public sealed class RunnerPresenceOrchestration : TaskOrchestrator<RunnerPresence, RunnerPresence>
{
    public const string InstanceIdPrefix = "runner:";
    public const string Seen = "RunnerSeen";

    /// <summary>Runners long-poll for at most a minute; two minutes without one means the runner is gone.</summary>
    public static readonly TimeSpan OfflineAfter = TimeSpan.FromMinutes(2);

    /// <summary>Sightings per execution before it continues as new, so the history stays short.</summary>
    const int SightingsPerExecution = 100;

    public static string InstanceIdFor(string runnerId) => InstanceIdPrefix + runnerId;

    public override async Task<RunnerPresence> RunAsync(TaskOrchestrationContext context, RunnerPresence presence)
    {
        context.SetCustomStatus(presence);
        for (var i = 0; i < SightingsPerExecution; i++)
        {
            using var stop = new CancellationTokenSource();
            var seen = context.WaitForExternalEvent<object?>(Seen, stop.Token);
            var gone = context.CreateTimer(Max(context.CurrentUtcDateTime, presence.LastSeen + OfflineAfter), stop.Token);
            var first = await Task.WhenAny(seen, gone);
            stop.Cancel();   // a pending timer would keep the instance open
            if (first == gone)
            {
                presence = presence with { Online = false };
                context.SetCustomStatus(presence);
                return presence;
            }
            presence = presence with { LastSeen = context.CurrentUtcDateTime, Online = true };
            context.SetCustomStatus(presence);
        }
        context.ContinueAsNew(presence, preserveUnprocessedEvents: true);
        return presence;
    }

    static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;
}
