using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Hosting;

public sealed class HealthTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    readonly BatonServer server = fixture.Server;

    [Fact]
    public async Task Healthz_Running_Returns200()
    {
        using var response = await server.Http.GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Readyz_StoreMigrated_Returns200WithFeatureDetail()
    {
        using var response = await server.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        var root = body.RootElement;
        Assert.Equal("ready", root.GetProperty("status").GetString());
        Assert.True(root.GetProperty("store").GetProperty("ready").GetBoolean());
        Assert.Equal("Sqlite", root.GetProperty("store").GetProperty("provider").GetString());
        Assert.True(root.GetProperty("worker").GetProperty("ready").GetBoolean());
        var features = root.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.False(features["openTelemetryExport"].GetProperty("enabled").GetBoolean());
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", features["openTelemetryExport"].GetProperty("detail").GetString());
        Assert.Contains("only callers on this machine", features["managementApi"].GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Startup_DisabledFeature_LogsOneWarningNamingTheKey()
    {
        using var response = await server.Http.GetAsync("/healthz");

        var disabled = server.Logs.Entries.Where(l => l.EventId.Id == 9902).ToList();
        var line = Assert.Single(disabled, l => l.Message.Contains("openTelemetryExport"));
        Assert.Contains("OTEL_EXPORTER_OTLP_ENDPOINT", line.Message);
        Assert.Contains(server.Logs.Entries, l => l.EventId.Id == 9900);
    }

    [Fact]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        using var response = await server.Http.GetAsync("/no/such/page");

        await ProblemAssert.IsProblemAsync(response, HttpStatusCode.NotFound);
    }
}
