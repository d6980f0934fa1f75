using Baton.Hosting;

namespace Baton.Tests.Hosting;

/// <summary>Configuration comes, later winning, from host.json, local.settings.json, the environment and the command line.</summary>
public sealed class ConfigurationTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("baton-config-").FullName;

    [Fact]
    public void CreateBuilder_EverySource_LaterSourcesWin()
    {
        var probe = "Probe" + Guid.NewGuid().ToString("N");
        File.WriteAllText(Path.Combine(root, "host.json"),
            $$"""{ "version": "2.0", "{{probe}}": { "a": "host", "b": "host", "c": "host", "d": "host" } }""");
        WriteLocalSettings($$"""{ "{{probe}}__b": "local", "{{probe}}__c": "local", "{{probe}}__d": "local" }""");
        Environment.SetEnvironmentVariable($"{probe}__c", "environment");
        Environment.SetEnvironmentVariable($"{probe}__d", "environment");
        try
        {
            var configuration = BatonHost.CreateBuilder(new HostSettings([$"--{probe}:d=command-line"]) { ContentRoot = root }).Configuration;

            Assert.Equal("host", configuration[$"{probe}:a"]);
            Assert.Equal("local", configuration[$"{probe}:b"]);
            Assert.Equal("environment", configuration[$"{probe}:c"]);
            Assert.Equal("command-line", configuration[$"{probe}:d"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable($"{probe}__c", null);
            Environment.SetEnvironmentVariable($"{probe}__d", null);
        }
    }

    [Fact]
    public void CreateBuilder_HostJsonDurableTask_MapsOntoDurableSection()
    {
        File.WriteAllText(Path.Combine(root, "host.json"), """
            {
              "version": "2.0",
              "logging": { "logLevel": { "default": "Warning" } },
              "extensions": { "durableTask": {
                "maxConcurrentActivityFunctions": 7,
                "maxConcurrentOrchestratorFunctions": 3,
                "maxQueuePollingInterval": "00:00:02",
                "retention": { "failed": "3.00:00:00" } } }
            }
            """);

        var configuration = BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }).Configuration;

        Assert.Equal("7", configuration["Durable:MaxConcurrentActivities"]);
        Assert.Equal("3", configuration["Durable:MaxConcurrentOrchestrations"]);
        Assert.Equal("00:00:02", configuration["Durable:MaxPollingInterval"]);
        Assert.Equal("3.00:00:00", configuration["Durable:Retention:Failed"]);
        Assert.Equal("Warning", configuration["Logging:LogLevel:Default"]);
        Assert.Null(configuration["version"]);
    }

    [Theory]
    [InlineData("extensions:durableTask:maxConcurrentActivityFunctions", "Durable:MaxConcurrentActivities")]
    [InlineData("extensions:durableTask:maxConcurrentOrchestratorFunctions", "Durable:MaxConcurrentOrchestrations")]
    [InlineData("extensions:durableTask:limits:maxPayloadBytes", "Durable:limits:maxPayloadBytes")]
    [InlineData("logging:logLevel:default", "logging:logLevel:default")]
    [InlineData("conductor:sweepSchedule", "conductor:sweepSchedule")]
    public void MapKey_HostJsonKey_BecomesAppKey(string hostJsonKey, string expected)
    {
        Assert.Equal(expected, HostJson.MapKey(hostJsonKey));
    }

    [Fact]
    public void CreateBuilder_LocalSettings_EmptyValuesAndCommentsAreIgnored()
    {
        WriteLocalSettings("""{ "_comment": "hello", "Durable__Provider": "", "Durable__PostgresSchema": "custom", "Baton__ApiKeys__0": "" }""");

        var configuration = BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }).Configuration;

        Assert.Null(configuration["_comment"]);
        Assert.Null(configuration["Durable:Provider"]);
        Assert.Null(configuration["Baton:ApiKeys:0"]);
        Assert.Equal("custom", configuration["Durable:PostgresSchema"]);
    }

    [Fact]
    public void CreateBuilder_NoUrlAnywhere_ListensOnFunctionsDefault()
    {
        var configuration = BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }).Configuration;

        Assert.Equal(BatonHost.DefaultUrl, configuration["urls"]);
    }

    [Fact]
    public void CreateBuilder_UrlsOnCommandLine_Wins()
    {
        var configuration = BatonHost.CreateBuilder(new HostSettings(["--urls", "http://127.0.0.1:5099"]) { ContentRoot = root }).Configuration;

        Assert.Equal("http://127.0.0.1:5099", configuration["urls"]);
    }

    [Fact]
    public void CreateBuilder_AspNetCoreUrlsInLocalSettings_SetsUrls()
    {
        WriteLocalSettings("""{ "ASPNETCORE_URLS": "http://127.0.0.1:5098" }""");

        var configuration = BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }).Configuration;

        Assert.Equal("http://127.0.0.1:5098", configuration["urls"]);
    }

    [Theory]
    [InlineData("{ \"Values\": { \"a\": ")]
    [InlineData("[1, 2]")]
    [InlineData("{ \"IsEncrypted\": true, \"Values\": {} }")]
    [InlineData("{ \"Values\": { \"Durable__Provider\": { \"nested\": 1 } } }")]
    public void CreateBuilder_MalformedLocalSettings_ThrowsInvalidData(string json)
    {
        File.WriteAllText(Path.Combine(root, "local.settings.json"), json);

        var error = Assert.Throws<InvalidDataException>(() => BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }));

        Assert.Contains("local.settings.json", error.Message);
    }

    [Fact]
    public void CreateBuilder_MalformedHostJson_ThrowsInvalidData()
    {
        File.WriteAllText(Path.Combine(root, "host.json"), "{ \"version\": ");

        var error = Assert.Throws<InvalidDataException>(() => BatonHost.CreateBuilder(new HostSettings([]) { ContentRoot = root }));

        Assert.Contains("host.json", error.Message);
    }

    void WriteLocalSettings(string values) =>
        File.WriteAllText(Path.Combine(root, "local.settings.json"), $$"""{ "IsEncrypted": false, "Values": {{values}} }""");

    public void Dispose() => Directory.Delete(root, recursive: true);
}
