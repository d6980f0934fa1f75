using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using SdkClient = Microsoft.DurableTask.Client.DurableTaskClient;

namespace Baton.Bench;

/// <summary>The SDK's client: on Baton's provider and on Azure Storage alike (the queries go through the client, so no
/// store is needed).</summary>
sealed class BenchClient(IServiceProvider services)
{
    readonly SdkClient client = services.GetRequiredService<SdkClient>();

    public async Task WaitForAllAsync(string prefix)
    {
        while (await AnyAsync(prefix, OrchestrationRuntimeStatus.Pending, OrchestrationRuntimeStatus.Running))
            await Task.Delay(250);   // gentle: the bench must not compete with the engine for the two cores
        await foreach (var failed in client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: prefix, PageSize: 1,
                           Statuses: [OrchestrationRuntimeStatus.Failed, OrchestrationRuntimeStatus.Terminated])))
            throw new InvalidOperationException($"{failed.InstanceId} failed: {failed.FailureDetails}");
    }

    async Task<bool> AnyAsync(string prefix, params OrchestrationRuntimeStatus[] statuses)
    {
        await foreach (var _ in client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: prefix, PageSize: 1, Statuses: statuses)))
            return true;
        return false;
    }

    public async Task<List<double>> LatenciesAsync(string prefix)
    {
        var latencies = new List<double>();
        await foreach (var instance in client.GetAllInstancesAsync(new OrchestrationQuery(InstanceIdPrefix: prefix, PageSize: 1000)))
            latencies.Add((instance.LastUpdatedAt - instance.CreatedAt).TotalMilliseconds);
        return latencies;
    }

    public Task StartAsync(string orchestrator, object input, string instanceId) =>
        client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new Microsoft.DurableTask.StartOrchestrationOptions(instanceId));

    public async Task<T> CompletedOutputAsync<T>(string instanceId)
    {
        var final = await client.WaitForInstanceCompletionAsync(instanceId, getInputsAndOutputs: true);
        if (final.RuntimeStatus != Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed)
            throw new InvalidOperationException($"{instanceId} ended {final.RuntimeStatus}.");
        return final.ReadOutputAs<T>() ?? throw new InvalidOperationException($"{instanceId} has no output.");
    }
}
