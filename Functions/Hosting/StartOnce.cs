using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using OrchestrationAlreadyExistsException = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;

namespace Baton.Hosting;

/// <summary>Starting an orchestration exactly once per instance id, whatever became of an earlier start.</summary>
public static class StartOnce
{
    /// <summary>Every status: an instance started once is never started again, however it ended.</summary>
    static readonly string[] AnyStatus = Enum.GetNames<OrchestrationRuntimeStatus>();

    /// <summary>Starts <paramref name="orchestrator"/> under <paramref name="instanceId"/>; false when an instance with that id
    /// exists in any state (running, completed, failed, terminated), which is then left alone — so a retried activity or a
    /// redelivered webhook starts nothing twice, on every storage provider.</summary>
    public static async Task<bool> StartOnceAsync(this DurableTaskClient client, string orchestrator, object input, string instanceId,
        CancellationToken cancellationToken = default)
    {
        try
        {
            await client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input,
                new StartOrchestrationOptions { InstanceId = instanceId, DedupeStatuses = AnyStatus }, cancellationToken);
            return true;
        }
        catch (OrchestrationAlreadyExistsException)
        {
            return false;
        }
    }
}
