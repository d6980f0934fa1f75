namespace Baton.Testing;

/// <summary>An xunit class fixture: a fresh database on the run's shared <see cref="ThrowawayPostgres"/> cluster for
/// each test class that declares <c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c>.</summary>
public sealed class PostgresDatabaseFixture : Xunit.IAsyncLifetime
{
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var cluster = await ThrowawayPostgres.Shared;
        ConnectionString = await cluster.CreateDatabaseAsync("baton_" + Guid.NewGuid().ToString("N"));
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
