using Baton.Durable.Hosting;
using Baton.Durable.Provider;
using Baton.Durable.Tests;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.ProviderTests;

/// <summary>The provider's built-in retention, run by the worker: a finished instance past its status's retention is
/// purged; one within it, or still running, stays.</summary>
public sealed class RetentionTests
{
    [Fact]
    public async Task Finished_instances_past_their_retention_are_purged_and_the_others_kept()
    {
        var options = new DurableOptions
        {
            Provider = "Sqlite",
            ConnectionString = await TempSqlite.NewDatabaseAsync(),
            MaxPollingInterval = TimeSpan.FromMilliseconds(100),
            Retention = new RetentionOptions
            {
                Interval = TimeSpan.FromMilliseconds(200),
                Completed = TimeSpan.FromSeconds(2),   // long enough for the test to see it complete first
                Failed = TimeSpan.FromDays(30),
            },
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddOrchestrationService(sp => BatonOrchestrationService.Create(options.Provider, options.ConnectionString, options,
            sp.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddDurableTaskWorker(b =>
        {
            b.AddTasks(SdkSamples.Register);
            b.UseOrchestrationService();
        });
        builder.Services.AddDurableTaskClient(b => b.UseOrchestrationService());
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<DurableTaskClient>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        var waiting = await client.ScheduleNewOrchestrationInstanceAsync("WaitForApproval");
        var failed = await client.ScheduleNewOrchestrationInstanceAsync("FailingChild", "kept for a month");
        var completed = await client.ScheduleNewOrchestrationInstanceAsync("HelloSequence", new[] { "Ada" });
        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await client.WaitForInstanceCompletionAsync(failed, timeout.Token)).RuntimeStatus);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await client.WaitForInstanceCompletionAsync(completed, timeout.Token)).RuntimeStatus);

        while (await client.GetInstanceAsync(completed, timeout.Token) is not null)
            await Task.Delay(50, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Failed, (await client.GetInstanceAsync(failed, timeout.Token))!.RuntimeStatus);
        Assert.NotNull(await client.GetInstanceAsync(waiting, timeout.Token));
        await host.StopAsync();
    }
}
