using Baton.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Baton.Tests.Hosting;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    [InlineData("serve", "--help")]
    public async Task Run_Help_ListsEveryVerbAndExitsZero(params string[] args)
    {
        var (code, output, _) = await RunAsync(args);

        Assert.Equal(0, code);
        foreach (var verb in new[] { "serve", "demo", "runner", "receive" })
            Assert.Contains(verb, output);
        Assert.Contains("--urls", output);
    }

    [Fact]
    public async Task Run_RunnerWithoutItsHostAndToken_SaysWhichSettingsAreMissing()
    {
        var (code, _, error) = await RunAsync(["runner", "--Runner:Token=t"]);

        Assert.Equal(HostCommandLine.UsageError, code);
        Assert.Contains("baton runner: set Runner__HostUrl (", error);   // the token was given: only the URL is asked for
    }

    [Fact]
    public async Task Run_UnknownVerb_PrintsUsageAndFails()
    {
        var (code, _, error) = await RunAsync(["launch"]);

        Assert.Equal(HostCommandLine.UsageError, code);
        Assert.Contains("unknown command 'launch'", error);
        Assert.Contains("Usage: baton", error);
    }

    [Fact]
    public async Task Run_ServeWithMalformedLocalSettings_FailsWithOneClearLine()
    {
        var root = Directory.CreateTempSubdirectory("baton-cli-").FullName;
        File.WriteAllText(Path.Combine(root, "local.settings.json"), "{ not json");
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(["serve"],
            settings => Program.BuildApp(settings with { ContentRoot = root }), TextWriter.Null, error);

        Assert.Equal(1, code);
        Assert.StartsWith("baton: cannot start:", error.ToString());
        Assert.Contains("local.settings.json", error.ToString());
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Run_ServeWithUnconvertibleSetting_FailsWithOneClearLine()
    {
        var root = Directory.CreateTempSubdirectory("baton-cli-").FullName;
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(["serve", "--urls", "http://127.0.0.1:0", "--Durable:MaxConcurrentActivities=many"],
            settings => Program.BuildApp(settings with { ContentRoot = root }), TextWriter.Null, error);

        Assert.Equal(1, code);
        Assert.Contains("Durable:MaxConcurrentActivities", error.ToString());
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public async Task Run_ServeOnATakenPort_FailsWithOneClearLine()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;
        var root = Directory.CreateTempSubdirectory("baton-cli-").FullName;
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(["serve", "--urls", $"http://127.0.0.1:{port}", $"--Durable:ConnectionString={Path.Combine(root, "t.db")}"],
            settings => Program.BuildApp(settings with { ContentRoot = root }), TextWriter.Null, error);

        Assert.Equal(1, code);
        Assert.StartsWith("baton: cannot start:", error.ToString());
        Assert.Contains(port.ToString(System.Globalization.CultureInfo.InvariantCulture), error.ToString());
        Directory.Delete(root, recursive: true);
    }

    [Theory]
    [InlineData("--Durable:Provider=Postgres", "Durable__ConnectionString is not set")]
    [InlineData("--Durable:Provider=Mongo", "'Mongo' is not known")]
    [InlineData("--Durable:Provider=AzureStorage", "AzureStorage but Durable__ConnectionString")]
    public async Task Run_ServeWithUnusableStoreSettings_FailsWithOneClearLine(string setting, string expected)
    {
        var root = Directory.CreateTempSubdirectory("baton-cli-").FullName;
        var error = new StringWriter();

        var code = await HostCommandLine.RunAsync(["serve", "--urls", "http://127.0.0.1:0", setting],
            settings => Program.BuildApp(settings with { ContentRoot = root }), TextWriter.Null, error);

        Assert.Equal(1, code);
        Assert.Contains(expected, error.ToString());
        Assert.Single(error.ToString().Trim().Split('\n'));
        Directory.Delete(root, recursive: true);
    }

    static async Task<(int Code, string Output, string Error)> RunAsync(string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await HostCommandLine.RunAsync(args, _ => throw new InvalidOperationException("must not build"), output, error);
        return (code, output.ToString(), error.ToString());
    }
}
