using System.Net;
using Baton.Testing;
using Baton.Tests.Infrastructure;

namespace Baton.Tests.ManagementApi;

/// <summary>A host on a fresh database of the test run's throwaway PostgreSQL cluster (tests/Shared).</summary>
public class PostgresServerFixture : ServerFixture
{
    protected override async Task<BatonServerOptions> CreateOptionsAsync()
    {
        var cluster = await ThrowawayPostgres.Shared;
        var database = await cluster.CreateDatabaseAsync("baton_host_" + Guid.NewGuid().ToString("N"));
        return new BatonServerOptions { PostgresConnectionString = database };
    }
}

public sealed class StartAndStatusTestsOnPostgres(PostgresServerFixture fixture)
    : StartAndStatusTests(fixture.Server), IClassFixture<PostgresServerFixture>;

public sealed class RaiseEventTestsOnPostgres(PostgresServerFixture fixture)
    : RaiseEventTests(fixture.Server), IClassFixture<PostgresServerFixture>;

public sealed class LifecycleTestsOnPostgres(PostgresServerFixture fixture)
    : LifecycleTests(fixture.Server), IClassFixture<PostgresServerFixture>;

public sealed class ListInstancesTestsOnPostgres(PostgresServerFixture fixture)
    : ListInstancesTests(fixture.Server), IClassFixture<PostgresServerFixture>;

public sealed class PurgeTestsOnPostgres(PurgeTestsOnPostgres.Fixture fixture)
    : PurgeTests(fixture.Server), IClassFixture<PurgeTestsOnPostgres.Fixture>
{
    public sealed class Fixture : PostgresServerFixture;
}

public sealed class ReadinessOnPostgresTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Readyz_PostgresMigrated_Returns200NamingTheProvider()
    {
        using var response = await fixture.Server.Http.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await BatonServer.ReadJsonAsync(response);
        Assert.Equal("Postgres", body.RootElement.GetProperty("store").GetProperty("provider").GetString());
        Assert.DoesNotContain("Password", body.RootElement.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }
}
