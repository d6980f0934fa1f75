using System.Collections.Concurrent;
using System.Text;
using Baton.Runner.Tests.Infrastructure;
using Baton.Runner.Workspaces;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Runner.Tests.Workspaces;

/// <summary>Over HTTP the credential reaches the git server as a Basic header, and never git's argument list.</summary>
public sealed class GitCredentialTests : IAsyncLifetime
{
    private const string Credential = "ghs_httpS3cret";

    private readonly ConcurrentQueue<string> _authorization = new();
    private readonly ConcurrentQueue<string> _gitCommandLines = new();
    private readonly TempFolder _root = new();
    private WebApplication _app = null!;
    private string _url = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.Run(context =>
        {
            _authorization.Enqueue(context.Request.Headers.Authorization.ToString());
            RecordGitCommandLines();
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await _app.StartAsync();
        _url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>While git waits for our answer, its processes (git, git-remote-http) are alive: read their argv.</summary>
    private void RecordGitCommandLines()
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(folder, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("git", StringComparison.Ordinal) && cmdline.Contains(_url, StringComparison.Ordinal))
                    _gitCommandLines.Enqueue(cmdline);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    [Fact]
    public async Task Clone_HttpsWithCredential_SendsBasicHeaderNotArgv()
    {
        var log = new List<string>();
        var job = Jobs.Implement($"{_url}/acme/demo.git", credential: Credential);

        var error = await Assert.ThrowsAsync<GitCommandException>(() =>
            JobWorkspace.CreateAsync(job, new WorkspaceOptions { Root = _root.Path }, log.Add, CancellationToken.None));

        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + Credential));
        Assert.Contains(expected, _authorization);
        Assert.NotEmpty(_gitCommandLines);
        Assert.DoesNotContain(_gitCommandLines, line => line.Contains(Credential, StringComparison.Ordinal) ||
            line.Contains(expected, StringComparison.Ordinal));
        Assert.DoesNotContain(log, line => line.Contains(Credential, StringComparison.Ordinal));
        Assert.DoesNotContain(Credential, error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root.Path));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _root.Dispose();
    }
}
