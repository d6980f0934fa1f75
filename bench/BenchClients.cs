using Baton.Durable.Storage;
using Baton.Durable.Worker;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using BatonClient = Baton.Durable.DurableTaskClient;
using SdkClient = Microsoft.DurableTask.Client.DurableTaskClient;

namespace Baton.Bench;

/// <summary>What the engine benchmarks need from a client, on either engine.</summary>
interface IBenchClient
{
    Task ReadyAsync();
    Task StartAsync(string orchestrator, object input, string instanceId);
    /// <summary>Waits for the instance and returns its output; throws unless it completed.</summary>
    Task<T> CompletedOutputAsync<T>(string instanceId);

    /// <summary>Waits (polling gently) until no instance whose id starts with <paramref name="prefix"/> is pending or
    /// running; throws if one failed or was terminated.</summary>
    Task WaitForAllAsync(string prefix);

    /// <summary>Start → completion of every instance whose id starts with <paramref name="prefix"/>, in milliseconds.</summary>
    Task<List<double>> LatenciesAsync(string prefix);
}

sealed class BatonBenchClient(IServiceProvider services) : IBenchClient
{
    readonly BatonClient client = services.GetRequiredService<BatonClient>();
    readonly IDurableStore store = services.GetRequiredService<IDurableStore>();

    public async Task WaitForAllAsync(string prefix)
    {
        var open = new[] { Durable.OrchestrationRuntimeStatus.Pending, Durable.OrchestrationRuntimeStatus.Running };
        while ((await store.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = prefix, Statuses = open, PageSize = 1 })).Instances.Count > 0)
            await Task.Delay(250);   // gentle: the bench must not compete with the engine for the two cores
        var failed = await store.QueryInstancesAsync(new InstanceQuery
        {
            InstanceIdPrefix = prefix, PageSize = 1,
            Statuses = [Durable.OrchestrationRuntimeStatus.Failed, Durable.OrchestrationRuntimeStatus.Terminated],
        });
        if (failed.Instances.Count > 0) throw new InvalidOperationException($"{failed.Instances[0].InstanceId} failed: {failed.Instances[0].Failure}");
    }

    public async Task<List<double>> LatenciesAsync(string prefix)
    {
        var latencies = new List<double>();
        string? token = null;
        do
        {
            var page = await store.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = prefix, PageSize = 1000, ContinuationToken = token });
            latencies.AddRange(page.Instances.Select(i => (i.CompletedAt!.Value - i.CreatedAt).TotalMilliseconds));
            token = page.ContinuationToken;
        } while (token is not null);
        return latencies;
    }

    public Task ReadyAsync() => services.GetRequiredService<DurableWorker>().Ready;

    public Task StartAsync(string orchestrator, object input, string instanceId) =>
        client.ScheduleNewOrchestrationInstanceAsync(orchestrator, input, new Durable.StartOrchestrationOptions { InstanceId = instanceId });

    public async Task<T> CompletedOutputAsync<T>(string instanceId)
    {
        var final = await client.WaitForInstanceCompletionAsync(instanceId);
        if (final.RuntimeStatus != Durable.OrchestrationRuntimeStatus.Completed)
            throw new InvalidOperationException($"{instanceId} ended {final.RuntimeStatus}.");
        return final.ReadOutputAs<T>()!;
    }
}

/// <summary>The SDK's client: on Baton's provider and on Azure Storage alike (the queries go through the client, so no
/// store is needed).</summary>
sealed class SdkBenchClient(IServiceProvider services) : IBenchClient
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

    public Task ReadyAsync() => Task.CompletedTask;

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
