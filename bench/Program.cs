using System.Diagnostics;
using System.Globalization;
using Baton.Bench;
using static Baton.Bench.BenchStats;
using Baton.Durable;
using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using Baton.Testing;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// dotnet run -c Release --project bench -- <hello5|fanout|timers> --provider sqlite|postgres|azurestorage --count N [--connection CS]
//   The workloads run on Microsoft's Durable Task SDK and DTFx, over Baton's storage provider (SQLite, PostgreSQL) or
//   DTFx's Azure Storage provider on a throwaway Azurite (hello5 and fanout only).
//   hello5 takes --warmup N (instances run before the measured ones, 100).
// dotnet run -c Release --project bench -- plan [--issues N] [--edges M]   (the conductor's planner; no engine)
// dotnet run -c Release --project bench -- claim-latency [--count N]       (approved label → agent job claimable)
// dotnet run -c Release --project bench -- interactions [--count N] [--mixed M] [--escalations E] [--concurrency C]
//                                                   (signed Discord click → escalation resumed; M mixed valid/invalid requests)
// dotnet run -c Release --project bench -- feature-plan [--issues N]    (a Jira feature's approved plan created on GitHub, then replayed)
// dotnet run -c Release --project bench -- voice [--count N] [--seconds S] [--upload-mb M]   (spoken request → Jira ticket; upload memory)
// The last line printed is machine-readable: "<scenario> provider=<p> count=<N> key=value ...".
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: bench <hello5|fanout|timers> --provider sqlite|postgres --count N [--connection CS] [--sync normal] [--spread-ms S]");
    Console.WriteLine("       bench plan [--issues N] [--edges M]");
    Console.WriteLine("       bench claim-latency [--count N]");
    Console.WriteLine("       bench interactions [--count N] [--mixed M] [--escalations E] [--concurrency C]");
    Console.WriteLine("       bench feature-plan [--issues N]");
    Console.WriteLine("       bench voice [--count N] [--seconds S] [--upload-mb M]");
    return 2;
}
var scenario = args[0];
var options = new ConfigurationBuilder().AddCommandLine(args.Skip(1).ToArray()).Build();
if (scenario == "plan")
{
    Console.WriteLine(PlanBenchmark.Run(options));   // a pure function: no engine or database to start
    return 0;
}
if (scenario == "interactions")
{
    Console.WriteLine(await InteractionBenchmark.RunAsync(options));   // the whole host, Discord intake on, over loopback
    return 0;
}
if (scenario == "feature-plan")
{
    Console.WriteLine(await FeaturePlanBenchmark.RunAsync(options));   // the whole host with the Jira, Ollama and GitHub emulators
    return 0;
}
if (scenario == "voice")
{
    Console.WriteLine(await VoiceBenchmark.RunAsync(options));   // the whole host with the Jira, Ollama and Whisper emulators
    return 0;
}
if (scenario == "claim-latency")
{
    Console.WriteLine(await ClaimLatencyBenchmark.RunAsync(options));   // the whole host against the GitHub emulator
    return 0;
}
var provider = (options["provider"] ?? "sqlite").ToLowerInvariant();
var count = int.Parse(options["count"] ?? "1000", CultureInfo.InvariantCulture);

await using var postgres = provider == "postgres" && options["connection"] is null ? await ThrowawayPostgres.StartAsync() : null;
var connection = options["connection"]
    ?? (postgres is not null ? await postgres.CreateDatabaseAsync("bench_" + Guid.NewGuid().ToString("N")[..8])
        : Path.Combine(Directory.CreateTempSubdirectory("baton-bench-").FullName, "bench.db"));

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Durable:Provider"] = provider == "postgres" ? "Postgres" : "Sqlite",
    ["Durable:ConnectionString"] = connection,
    ["Durable:SqliteSynchronousFull"] = options["sync"] == "normal" ? "false" : "true",
    ["Durable:Retention:Enabled"] = "false",
});
// Engine settings can be tried from the command line (e.g. --Durable:OrchestrationClaimBatch=256).
builder.Configuration.AddInMemoryCollection(options.AsEnumerable().Where(kv => kv.Key.StartsWith("Durable:", StringComparison.Ordinal)));
// Azure Storage (DTFx's provider, on a throwaway Azurite) exists only on the SDK path.
await using var azurite = provider == "azurestorage" ? await ThrowawayAzurite.StartAsync() : null;
if (azurite is not null)
{
    // The conditions STACK.md measured under: 0.5 s queue polling, 4 partitions.
    builder.Services.AddOrchestrationService(sp => AzureStorageProvider.Create(azurite.ConnectionString, "bench" + Guid.NewGuid().ToString("N")[..8],
        sp.GetRequiredService<ILoggerFactory>(), s =>
        {
            s.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500);
            s.PartitionCount = 4;
        }));
}
else
{
    var settings = builder.Configuration.GetSection(DurableOptions.SectionName).Get<DurableOptions>() ?? new DurableOptions();
    builder.Services.AddSingleton(sp => DurableStoreFactory.Create(settings, sp.GetRequiredService<ILoggerFactory>()));
    builder.Services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(), settings,
        sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
}
builder.Services.AddDurableTaskWorker(b =>
{
    b.AddTasks(r => r
        .AddOrchestrator<Baton.Bench.Sdk.Hello5>().AddOrchestrator<Baton.Bench.Sdk.FanOutFanIn>().AddOrchestrator<Baton.Bench.Sdk.WakeAt>()
        .AddActivity<Baton.Bench.Sdk.Noop>().AddActivity<Baton.Bench.Sdk.Identity>());
    b.UseOrchestrationService();
});
Microsoft.DurableTask.Client.ServiceCollectionExtensions.AddDurableTaskClient(builder.Services, b => b.UseOrchestrationService());
using var host = builder.Build();
await host.StartAsync();
var client = new BenchClient(host.Services);
var store = host.Services.GetService<IDurableStore>();
var providerName = provider is "postgres" or "azurestorage" ? provider : "sqlite";
Console.WriteLine($"# {scenario} on {providerName} (Durable Task SDK), {Environment.ProcessorCount} cores, {count} items");

string result = scenario switch
{
    "hello5" => await Hello5Async(),
    "fanout" => await FanOutAsync(),
    "timers" when store is not null => await TimersAsync(),
    _ => throw new ArgumentException($"Unknown scenario '{scenario}'."),
};
await host.StopAsync();
Console.WriteLine(result);
return 0;

async Task<string> Hello5Async()
{
    // JIT and connection warm-up, not measured (--warmup N; tiered compilation needs a few thousand episodes to reach
    // steady code on the SDK path, whose DTFx dispatch is more code to tier up).
    await RunHello5Batch("warmup-", int.Parse(options["warmup"] ?? Math.Min(100, count).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
    var clock = Stopwatch.StartNew();
    await RunHello5Batch("run-", count);
    var seconds = clock.Elapsed.TotalSeconds;
    var latencies = await client.LatenciesAsync("run-");
    return $"hello5 provider={providerName} count={count} orchestrations_per_s={F(count / seconds)} " +
           $"p50_ms={F(Percentile(latencies, 50))} p99_ms={F(Percentile(latencies, 99))}";
}

async Task RunHello5Batch(string prefix, int n)
{
    await Task.WhenAll(Enumerable.Range(0, n).Select(i => client.StartAsync(nameof(Baton.Bench.Sdk.Hello5), "hello", $"{prefix}{i:D6}")));
    await client.WaitForAllAsync(prefix);
}

async Task<string> FanOutAsync()
{
    await RunFanOut("warmup", 50);
    var clock = Stopwatch.StartNew();
    var completed = await RunFanOut("fanout", count);
    if (completed != count) throw new InvalidOperationException($"Fan-in saw {completed} results, expected {count}.");
    return $"fanout provider={providerName} count={count} seconds={F(clock.Elapsed.TotalSeconds)}";
}

async Task<int> RunFanOut(string id, int n)
{
    await client.StartAsync(nameof(Baton.Bench.Sdk.FanOutFanIn), n, id);
    return await client.CompletedOutputAsync<int>(id);
}

async Task<string> TimersAsync()
{
    // By default every timer is due at the same instant (the harshest case); --spread-ms spreads the due times
    // evenly across a window instead. Each instance's lateness is measured against its own due time.
    var spread = TimeSpan.FromMilliseconds(int.Parse(options["spread-ms"] ?? "0", CultureInfo.InvariantCulture));
    // JIT and connection warm-up, not measured (as for hello5 and fanout): a long-running host fires its timers warm.
    await ScheduleTimersAsync("warmup-timer-", Math.Min(500, count), DateTime.UtcNow + TimeSpan.FromSeconds(2), spread);
    await client.WaitForAllAsync("warmup-timer-");
    var clock = Stopwatch.StartNew();
    await ScheduleTimersAsync("timer-", count, DateTime.UtcNow + TimeSpan.FromSeconds(5 + count / 1000.0), spread);
    await client.WaitForAllAsync("timer-");
    var lateness = new List<double>();
    string? token = null;
    do
    {
        var page = await store!.QueryInstancesAsync(new InstanceQuery { InstanceIdPrefix = "timer-", PageSize = 1000, IncludePayloads = true, ContinuationToken = token });
        lateness.AddRange(page.Instances.Select(i =>
            (DurableJson.Deserialize<DateTime>(i.Output) - DurableJson.Deserialize<DateTime>(i.Input)).TotalMilliseconds));
        token = page.ContinuationToken;
    } while (token is not null);
    return $"timers provider={providerName} count={count} spread_ms={spread.TotalMilliseconds} seconds={F(clock.Elapsed.TotalSeconds)} " +
           $"lateness_p50_ms={F(Percentile(lateness, 50))} lateness_p99_ms={F(Percentile(lateness, 99))}";
}

Task ScheduleTimersAsync(string prefix, int n, DateTime due, TimeSpan spread) =>
    Task.WhenAll(Enumerable.Range(0, n).Select(i => client.StartAsync(nameof(Baton.Bench.Sdk.WakeAt), due + spread * i / n, $"{prefix}{i:D6}")));
