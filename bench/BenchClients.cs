using Baton.Durable.Worker;
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
}

sealed class BatonBenchClient(IServiceProvider services) : IBenchClient
{
    readonly BatonClient client = services.GetRequiredService<BatonClient>();

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

sealed class SdkBenchClient(IServiceProvider services) : IBenchClient
{
    readonly SdkClient client = services.GetRequiredService<SdkClient>();

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
