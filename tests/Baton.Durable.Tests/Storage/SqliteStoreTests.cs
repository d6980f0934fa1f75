using Baton.Durable.Storage;
using Microsoft.Data.Sqlite;

namespace Baton.Durable.Tests.Storage;

/// <summary>The store contract on SQLite (a fresh file per test) plus what is specific to the embedded provider.</summary>
public sealed class SqliteStoreTests : StoreContractTests, IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "baton-sqlite-" + Guid.NewGuid().ToString("N"));

    string DatabasePath => Path.Combine(directory, "nested", "store.db");

    protected override async Task<IDurableStore> CreateStoreAsync()
    {
        var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath });
        await store.MigrateAsync();
        return store;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose()
    {
        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public void Open_CreatesTheDatabaseAndItsDirectory() => Assert.True(File.Exists(DatabasePath));

    [Fact]
    public async Task Open_SecondStoreOnTheSameFile_IsRefused()
    {
        await using var second = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath });

        var refused = await Assert.ThrowsAsync<StoreInUseException>(() => second.GetCountsAsync());

        Assert.Equal(Path.GetFullPath(DatabasePath), refused.DatabasePath);
        Assert.Contains("in use by another process", refused.Message);
    }

    [Fact]
    public async Task Commits_ReachTheDatabaseFile_WithoutTheWritersCheckpoint()
    {
        // Far below the writer's own checkpoint threshold: only the background checkpointer copies these back.
        for (var i = 0; i < 20; i++) await StartAsync($"copied-{i}");

        // immutable=1 reads the database file alone, without its WAL.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        long inFile;
        while ((inFile = await CountInDatabaseFileAsync("SELECT count(*) FROM dt_instances WHERE instance_id LIKE 'copied-%'")) < 20
               && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(20, inFile);
    }

    async Task<long> CountInDatabaseFileAsync(string sql)
    {
        var uri = new Uri(Path.GetFullPath(DatabasePath)).AbsoluteUri + "?immutable=1";
        await using var connection = new SqliteConnection($"Data Source={uri};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        try
        {
            return (long)(await command.ExecuteScalarAsync())!;
        }
        catch (SqliteException)
        {
            return 0; // not even the schema has been copied back yet, or the read met a copy half done: look again
        }
    }

    [Fact]
    public async Task Reopen_ClearsLeasesLeftByThePreviousProcess()
    {
        await StartAsync("crashed");
        await ClaimOnlyAsync("crashed", "dead-worker", LongLease);
        await Store.DisposeAsync(); // the process "dies" holding a five-minute lease

        await using var reopened = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath });

        var item = Assert.Single(await reopened.ClaimOrchestrationsAsync("w2", 10, 10, LongLease));
        Assert.Equal(("crashed", 2), (item.InstanceId, item.Messages.Single().DequeueCount));
    }

    [Fact]
    public async Task SynchronousNormal_IsAnOptIn()
    {
        await Store.DisposeAsync();
        await using var store = new SqliteDurableStore(new SqliteStoreOptions { DatabasePath = DatabasePath, SynchronousFull = false });

        Assert.True(await store.IsReadyAsync());
        Assert.Equal(CreateOutcome.Created, (await store.CreateInstanceAsync(Instance("normal"), DefaultDedupe)).Outcome);
    }
}
