using Baton.Durable.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

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
}
