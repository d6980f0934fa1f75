using System.Text.Json;

using Baton.Durable.CrashHost;
using Baton.Durable.History;
using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using Baton.Durable.Storage;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using AlreadyExists = DurableTask.Core.Exceptions.OrchestrationAlreadyExistsException;


namespace Baton.Durable.CrashHost;

/// <summary>Runs the crash host's workload on the Durable Task SDK over Baton's provider on a store that can be made to
/// crash (<see cref="CrashingStore"/>): prints READY once it runs and, with --until-done, SUMMARY once every instance
/// finished, with what its history holds.</summary>
static class CrashHostRun
{
    public static async Task<int> RunAsync(HostApplicationBuilder builder, IConfiguration config, int schedule, int steps)
    {
        builder.Services.AddSingleton<IDurableStore>(sp => new CrashingStore(
            DurableStoreFactory.Create(sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(),
            sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(r => r.AddOrchestrator<CrashChain>().AddActivity<Step>());
            b.UseOrchestrationService();
        });
        builder.Services.AddDurableTaskClient(b => b.UseOrchestrationService());
        builder.Services.AddOptions<DurableOptions>().BindConfiguration(DurableOptions.SectionName);

        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        for (var i = 0; i < schedule; i++)
        {
            try
            {
                // Never replace: a restart must resume, not start over.
                await client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashChain), steps, new Microsoft.DurableTask.StartOrchestrationOptions
                {
                    InstanceId = $"crash-{i:D3}",
                    DedupeStatuses = Enum.GetNames<Microsoft.DurableTask.Client.OrchestrationRuntimeStatus>(),
                });
            }
            catch (AlreadyExists)
            {
                // An earlier run (or another worker) scheduled it already.
            }
        }
        Console.WriteLine("READY");

        if (config["until-done"] is null)
        {
            await host.WaitForShutdownAsync();
            return 0;
        }
        var store = host.Services.GetRequiredService<IDurableStore>();
        var summary = new List<object>();
        foreach (var id in Enumerable.Range(0, schedule).Select(i => $"crash-{i:D3}"))
        {
            var final = await client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true);
            var history = await store.GetHistoryAsync(id);
            summary.Add(new
            {
                id,
                status = final.RuntimeStatus.ToString(),
                failure = Describe(final.FailureDetails),
                output = final.RuntimeStatus == Microsoft.DurableTask.Client.OrchestrationRuntimeStatus.Completed
                    ? final.ReadOutputAs<List<string>>() : null,
                scheduled = history.Count(e => e.Type == HistoryEventType.TaskScheduled),
                completed = history.Count(e => e.Type == HistoryEventType.TaskCompleted),
                finished = history.Count(e => e.Type == HistoryEventType.ExecutionCompleted),
                distinctTasks = history.Where(e => e.Type == HistoryEventType.TaskCompleted).Select(e => e.TaskId).Distinct().Count(),
            });
        }
        Console.WriteLine("SUMMARY " + JsonSerializer.Serialize(summary));
        await host.StopAsync();
        return 0;
    }

    /// <summary>The failure with its causes, outermost first.</summary>
    static string? Describe(Microsoft.DurableTask.TaskFailureDetails? failure) =>
        failure is null ? null : $"{failure.ErrorType}: {failure.ErrorMessage}" + (failure.InnerFailure is { } inner ? " <- " + Describe(inner) : "");
}
