using System.Net;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.Hosting;

public sealed class EmbeddedStorageTests
{
    [Fact]
    public async Task Serve_NoConnectionString_CreatesDatabaseUnderDotBaton()
    {
        await using var server = await BatonServer.StartAsync(new BatonServerOptions { ExplicitDatabase = false });

        var id = await server.StartAsync(nameof(Orchestrations.HelloSequenceOrchestration));
        using var _ = await server.WaitForStatusAsync(id, "Completed");

        Assert.True(File.Exists(Path.Combine(server.ContentRoot, ".baton", "baton.db")));
        using var ready = await server.Http.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains(Path.Combine(server.ContentRoot, ".baton", "baton.db"), await ready.Content.ReadAsStringAsync());
    }
}
