using Baton.Durable.Hosting;
using Baton.Durable.Storage;
using Baton.Durable.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Tests.Engine;

/// <summary>A real engine (store + worker + client) in this process, on a real database.</summary>
sealed class EngineHost : IAsyncDisposable
{
    readonly IHost host;

    EngineHost(IHost host)
    {
        this.host = host;
        Client = host.Services.GetRequiredService<DurableTaskClient>();
        Store = host.Services.GetRequiredService<IDurableStore>();
    }

    public DurableTaskClient Client { get; }
    public IDurableStore Store { get; }
    public IServiceProvider Services => host.Services;

    public static async Task<EngineHost> StartAsync(string provider, string connectionString, Action<DurableRegistry> register,
        IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null,
        Func<IDurableStore, IDurableStore>? decorateStore = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Warning);
        var values = new Dictionary<string, string?>
        {
            ["Durable:Provider"] = provider,
            ["Durable:ConnectionString"] = connectionString,
            ["Durable:Retention:Enabled"] = "false",
            ["Durable:ShutdownGracePeriod"] = "00:00:02",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        builder.Configuration.AddInMemoryCollection(values);
        services?.Invoke(builder.Services);
        builder.Services.AddDurable(register);
        if (decorateStore is not null)
        {
            var store = builder.Services.Last(d => d.ServiceType == typeof(IDurableStore)).ImplementationFactory!;
            builder.Services.AddSingleton(sp => decorateStore((IDurableStore)store(sp)));
        }
        var host = builder.Build();
        await host.StartAsync();
        await host.Services.GetRequiredService<DurableWorker>().Ready;
        return new EngineHost(host);
    }

    public async Task<OrchestrationMetadata> RunAsync(string name, object? input, string? instanceId = null, TimeSpan? timeout = null)
    {
        var id = await Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions { InstanceId = instanceId });
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        return await Client.WaitForInstanceCompletionAsync(id, cancellationToken: cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        if (host is IAsyncDisposable disposable) await disposable.DisposeAsync();
        else host.Dispose();
    }
}
