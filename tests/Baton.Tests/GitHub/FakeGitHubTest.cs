namespace Baton.Tests.GitHub;

/// <summary>A fresh fake GitHub server per test, and a client pointed at it.</summary>
public abstract class FakeGitHubTest : IAsyncLifetime
{
    protected FakeGitHubServer server = null!;
    protected GitHubTestClient github = null!;

    public async Task InitializeAsync()
    {
        server = await FakeGitHubServer.StartAsync();
        github = new GitHubTestClient(server);
    }

    public async Task DisposeAsync()
    {
        github.Dispose();
        await server.DisposeAsync();
    }
}
