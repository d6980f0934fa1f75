using Baton.Durable.CrashHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Usage: crashhost --Durable:Provider=Sqlite --Durable:ConnectionString=... --journal FILE
//                  [--schedule N] [--steps 5] [--crash-at point:K] [--until-done] [--step-delay-ms 0]
// The workload runs on Microsoft's Durable Task SDK and DTFx over Baton's storage provider.
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
return await CrashHostRun.RunAsync(builder, config, schedule, steps);
