using System.Diagnostics;
using System.Diagnostics.Metrics;
using Baton.Durable.Provider;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Baton.Hosting;

/// <summary>The host's own trace source and meter (the storage provider has the meter "Baton.Durable"; DTFx traces
/// orchestrations and activities as "DurableTask.Core").</summary>
public static class BatonTelemetry
{
    public const string Name = "Baton";

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);
}

/// <summary>
/// The standard OpenTelemetry exporter settings, read from configuration so they work from the environment and
/// from local.settings.json alike. Export is on only when an endpoint is configured.
/// </summary>
sealed record OtlpSettings(Uri Endpoint, OtlpExportProtocol Protocol, string? Headers, string ServiceName)
{
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ProtocolKey = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string HeadersKey = "OTEL_EXPORTER_OTLP_HEADERS";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    /// <summary>The settings, or why export is off.</summary>
    public static (OtlpSettings? Settings, string Reason) Read(IConfiguration configuration)
    {
        var endpoint = configuration[EndpointKey];
        if (string.IsNullOrWhiteSpace(endpoint))
            return (null, $"{EndpointKey} is not set");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return (null, $"{EndpointKey} is not an absolute http(s) URL");
        var protocol = configuration[ProtocolKey] switch
        {
            null or "" or "grpc" => OtlpExportProtocol.Grpc,
            "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
            _ => (OtlpExportProtocol?)null,
        };
        if (protocol is null)
            return (null, $"{ProtocolKey} must be 'grpc' or 'http/protobuf'");
        var serviceName = configuration[ServiceNameKey] is { Length: > 0 } name ? name : "baton";
        return (new OtlpSettings(uri, protocol.Value, configuration[HeadersKey], serviceName), $"{protocol} to {uri.GetLeftPart(UriPartial.Authority)}");
    }

    public void Apply(OtlpExporterOptions options, string signalPath)
    {
        options.Protocol = Protocol;
        // With http/protobuf an explicit endpoint is used as is, so the signal's path is added here.
        options.Endpoint = Protocol == OtlpExportProtocol.HttpProtobuf
            ? new Uri(Endpoint.ToString().TrimEnd('/') + "/" + signalPath)
            : Endpoint;
        if (!string.IsNullOrEmpty(Headers)) options.Headers = Headers;
    }
}

/// <summary>Exports traces and metrics over OTLP for the lifetime of the host; flushes on stop.</summary>
sealed class OpenTelemetryExport(OtlpSettings settings) : IHostedService, IDisposable
{
    static readonly string[] Sources = ["DurableTask.Core", BatonTelemetry.Name, "Microsoft.AspNetCore", "System.Net.Http"];
    static readonly string[] Meters =
        [ProviderTelemetry.Name, BatonTelemetry.Name, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Net.Http", "System.Runtime"];

    TracerProvider? tracing;
    MeterProvider? metrics;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var resource = ResourceBuilder.CreateDefault().AddService(settings.ServiceName);
        tracing = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(Sources)
            .AddProcessor(new RedactApiKeyProcessor())
            .AddOtlpExporter(o => settings.Apply(o, "v1/traces"))
            .Build();
        metrics = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(Meters)
            .AddOtlpExporter(o => settings.Apply(o, "v1/metrics"))
            .Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        tracing?.Dispose();
        metrics?.Dispose();
        tracing = null;
        metrics = null;
    }
}
