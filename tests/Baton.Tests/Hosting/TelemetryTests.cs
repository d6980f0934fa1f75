using System.Text;
using Baton.Hosting;
using Baton.Orchestrations;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Hosting;

public sealed class TelemetryTests
{
    const string Key = "telemetry-test-key-0123456789";

    [Fact]
    public async Task Export_OtlpEndpointConfigured_SendsEngineSpansAndMetricsWithoutTheKey()
    {
        await using var collector = await FakeOtlpCollector.StartAsync();
        var server = await BatonServer.StartAsync(new BatonServerOptions
        {
            ApiKeys = [Key],
            Settings = new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Endpoint.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            },
        });
        using (var start = await server.Http.PostAsync(
                   server.Api($"/orchestrators/{nameof(HelloSequenceOrchestration)}?code={Key}&timeout=20&pollingInterval=0.1"), null))
            Assert.True(start.IsSuccessStatusCode);

        await server.DisposeAsync(); // stopping the host flushes the exporters

        var traces = Concat(collector.Received.Where(r => r.Path == "/v1/traces"));
        var metrics = Concat(collector.Received.Where(r => r.Path == "/v1/metrics"));
        Assert.Contains("DurableTask.Core", traces);
        Assert.Contains("SayHello", traces);
        Assert.Contains("Microsoft.AspNetCore", traces);
        Assert.Contains("/runtime/webhooks", traces);
        Assert.Contains("baton.durable.episodes", metrics);
        Assert.DoesNotContain(Key, traces);
        Assert.DoesNotContain(Key, metrics);
    }

    [Theory]
    [InlineData("/runtime/webhooks/durabletask/instances?code=secret&top=2", "/runtime/webhooks/durabletask/instances?code=REDACTED&top=2")]
    [InlineData("?top=2&CODE=secret", "?top=2&code=REDACTED")]
    [InlineData("code=secret", "code=REDACTED")]
    [InlineData("?barcode=1", "?barcode=1")]
    public void Redact_UrlWithCodeParameter_HidesItsValue(string url, string expected)
    {
        Assert.Equal(expected, RedactApiKeyProcessor.Redact(url));
    }

    static string Concat(IEnumerable<(string Path, byte[] Body)> bodies) =>
        string.Concat(bodies.Select(b => Encoding.UTF8.GetString(b.Body)));
}
