using System.Text.Json;
using Baton.Durable;
using Baton.Durable.CrashHost;
using Baton.Durable.History;
using Baton.Durable.Hosting;
using Baton.Durable.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

// Usage: crashhost --Durable:Provider=Sqlite --Durable:ConnectionString=... --journal FILE
//                  [--schedule N] [--steps 5] [--crash-at point:K] [--until-done] [--step-delay-ms 0] [--engine baton|sdk]
// --engine sdk runs the workload on Microsoft's Durable Task SDK and DTFx over Baton's storage provider.
// Prints "READY" once the worker runs and, with --until-done, "SUMMARY {json}" once every instance finished.
var config = new ConfigurationBuilder().AddCommandLine(args).Build();
CrashPoints.Arm(config["crash-at"]);
var journal = new Journal(config["journal"] ?? throw new ArgumentException("--journal is required"),
    TimeSpan.FromMilliseconds(int.Parse(config["step-delay-ms"] ?? "0")));
var schedule = int.Parse(config["schedule"] ?? "0");
var steps = int.Parse(config["steps"] ?? "5");

var builder = Host.CreateApplicationBuilder();
builder.Configuration.AddCommandLine(args);
builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
builder.Services.AddSingleton(journal);
if (config["engine"] == "sdk")
    return await Baton.CrashHostSdk.SdkEngine.RunAsync(builder, config, schedule, steps);
builder.Services.AddDurable(registry => registry.AddOrchestrator<CrashChain>().AddActivity<Step>());
// After AddDurable, so that this registration of the store is the one resolved.
builder.Services.AddSingleton<IDurableStore>(sp => new CrashingStore(
    DurableStoreFactory.Create(sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>())));

using var host = builder.Build();
await host.StartAsync();
await host.Services.GetRequiredService<Baton.Durable.Worker.DurableWorker>().Ready;
var client = host.Services.GetRequiredService<DurableTaskClient>();
for (var i = 0; i < schedule; i++)
{
    try
    {
        await client.ScheduleNewOrchestrationInstanceAsync(nameof(CrashChain), steps, new StartOrchestrationOptions
        {
            InstanceId = $"crash-{i:D3}",
            DedupeStatuses = Enum.GetValues<OrchestrationRuntimeStatus>(), // never replace: a restart must resume, not start over
        });
    }
    catch (OrchestrationAlreadyExistsException)
    {
        // An earlier run (or another worker) scheduled it already.
    }
}
Console.WriteLine("READY");

if (config["until-done"] is not null)
{
    var store = host.Services.GetRequiredService<IDurableStore>();
    var summary = new List<object>();
    foreach (var id in Enumerable.Range(0, schedule).Select(i => $"crash-{i:D3}"))
    {
        var final = await client.WaitForInstanceCompletionAsync(id);
        var history = await store.GetHistoryAsync(id);
        summary.Add(new
        {
            id,
            status = final.RuntimeStatus.ToString(),
            failure = final.FailureDetails?.ToString(),
            output = final.ReadOutputAs<List<string>>(),
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

await host.WaitForShutdownAsync();
return 0;
