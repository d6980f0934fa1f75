using System.Net;
using Baton.Durable;
using Baton.Durable.Hosting;
using Baton.Durable.Http;
using Baton.Durable.Provider;
using Baton.Durable.Serialization;
using Baton.Durable.Storage;
using DurableTask.Core;
using Microsoft.DurableTask.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Hosting;

/// <summary>Registers the engine's management API with the host's API keys (<c>Baton__ApiKeys__N</c>).</summary>
static class ManagementApiSetup
{
    public const string FeatureName = "managementApi";

    public static WebApplicationBuilder AddManagementApi(this WebApplicationBuilder builder)
    {
        var keys = (builder.Configuration.GetSection(BatonOptions.SectionName).Get<BatonOptions>() ?? new BatonOptions())
            .ConfiguredKeys.ToList();
        builder.Services.AddDurableManagementApi(options =>
        {
            foreach (var key in keys) options.ApiKeys.Add(key);
        });
        builder.Services.AddInterimDurableTaskClient();

        var weak = keys.Count(k => k.Length < BatonOptions.RecommendedKeyLength);
        var detail = keys.Count == 0
            ? "no API key configured (Baton__ApiKeys__0), so only callers on this machine are accepted"
            : $"{keys.Count} API key(s) accepted" + (weak > 0 ? $"; {weak} shorter than {BatonOptions.RecommendedKeyLength} characters" : "");
        HostFeatures.In(builder.Services).Enable(FeatureName, detail);
        return builder;
    }

    /// <summary>
    /// INTERIM (branch mgmt), until the orchestrations are ported to the Durable Task SDK (issue 11): the management API
    /// runs on the SDK client, over Baton's provider on the SAME store the own engine runs on, and may start what the own
    /// engine's registry holds. The port registers the provider and the client itself (with the SDK worker, whose
    /// registry the API then reads): delete this method and its call then. Until then it registers nothing a host has
    /// registered already.
    /// </summary>
    static void AddInterimDurableTaskClient(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(IOrchestrationService))) return;
        services.AddOrchestrationService(sp => new BatonOrchestrationService(sp.GetRequiredService<IDurableStore>(),
            sp.GetRequiredService<IOptions<DurableOptions>>().Value, sp.GetRequiredService<ILoggerFactory>(), TimeProvider.System));
        services.AddDurableTaskClient(client =>
        {
            client.Configure(options => options.DataConverter = DurableJson.Converter);
            client.UseOrchestrationService();
        });
        services.AddOptions<DurableHttpOptions>().Configure<DurableRegistry>((options, registry) =>
            options.Orchestrators.UnionWith(registry.OrchestratorNames));
    }

    /// <summary>Maps the management API; once the host listens, warns if it is reachable from other machines while
    /// no key is configured (safe, since only this machine's callers get in, but rarely what was meant).</summary>
    public static WebApplication MapManagementApi(this WebApplication app)
    {
        app.MapDurableManagementApi();
        app.Lifetime.ApplicationStarted.Register(() => WarnIfReachableWithoutKey(app));
        return app;
    }

    static void WarnIfReachableWithoutKey(WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<DurableHttpOptions>>().Value.ApiKeys.Any(k => k.Length > 0)) return;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var reachable = addresses.Where(a => !IsLoopback(a)).ToList();
        if (reachable.Count == 0) return;

        HostLog.ReachableWithoutKey(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Baton.Host"), string.Join(", ", reachable));
        app.Services.GetRequiredService<HostFeatures>().Warn(
            "the host listens beyond this machine but no management API key is configured (Baton__ApiKeys__0): remote callers are refused");
    }

    /// <summary>True for an address only this machine can reach: <c>localhost</c>, 127.0.0.0/8, ::1.</summary>
    internal static bool IsLoopback(string address)
    {
        var host = BindingAddress.Parse(address).Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }
}
