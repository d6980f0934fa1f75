using Baton.Testing;

namespace Baton.Durable.Tests;

// Each provider suite runs on both stores: a fresh SQLite file, or a fresh database on the run's throwaway PostgreSQL
// cluster.

static class TempSqlite
{
    public static Task<string> NewDatabaseAsync() =>
        Task.FromResult(Path.Combine(Directory.CreateTempSubdirectory("baton-engine-").FullName, "baton.db"));
}

static class SharedPostgres
{
    public static async Task<string> NewDatabaseAsync() =>
        await (await ThrowawayPostgres.Shared).CreateDatabaseAsync("baton_" + Guid.NewGuid().ToString("N"));
}
