using System.Net;
using Baton.Durable.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

        var weak = keys.Count(k => k.Length < BatonOptions.RecommendedKeyLength);
        var detail = keys.Count == 0
            ? "no API key configured (Baton__ApiKeys__0), so only callers on this machine are accepted"
            : $"{keys.Count} API key(s) accepted" + (weak > 0 ? $"; {weak} shorter than {BatonOptions.RecommendedKeyLength} characters" : "");
        HostFeatures.In(builder.Services).Enable(FeatureName, detail);
        return builder;
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
