using Baton.Durable.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Baton.Hosting;

/// <summary>What every Baton host has: problem-details errors, the feature report, telemetry.</summary>
public static class ServiceDefaults
{
    public const string TelemetryFeature = "openTelemetryExport";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder)
    {
        var features = HostFeatures.In(builder.Services);
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<FeatureReport>();

        var (otlp, detail) = OtlpSettings.Read(builder.Configuration);
        if (otlp is null)
        {
            features.Disable(TelemetryFeature, detail);
        }
        else
        {
            features.Enable(TelemetryFeature, detail);
            builder.Services.AddSingleton(otlp);
            builder.Services.AddHostedService<OpenTelemetryExport>();
        }
        return builder;
    }

    /// <summary>Every error the framework produces (unknown route, wrong method, unhandled exception) gets a
    /// problem-details body too.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestBodyFailures();
        app.Lifetime.ApplicationStarted.Register(() => LogListening(app));
        return app;
    }

    static void LogListening(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var provider = app.Services.GetRequiredService<IOptions<DurableOptions>>().Value.Provider;
        HostLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Baton.Host"), string.Join(", ", addresses), provider);
    }
}
