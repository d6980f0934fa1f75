using Baton.Durable.Tests.Crash;
using Baton.Testing;

namespace Baton.Durable.Tests.Engine;

// Each behaviour suite runs on both providers: a fresh SQLite file, or a fresh database on the run's
// throwaway PostgreSQL cluster.

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

public sealed class SqliteEngineTests : EngineTests
{
    protected override string Provider => "Sqlite";
    protected override Task<string> NewDatabaseAsync() => TempSqlite.NewDatabaseAsync();
}

public sealed class PostgresEngineTests : EngineTests
{
    protected override string Provider => "Postgres";
    protected override Task<string> NewDatabaseAsync() => SharedPostgres.NewDatabaseAsync();
}

public sealed class SqliteCrashSafetyTests : CrashSafetyTests
{
    protected override string Provider => "Sqlite";
    protected override Task<string> NewDatabaseAsync() => TempSqlite.NewDatabaseAsync();
}

public sealed class PostgresCrashSafetyTests : CrashSafetyTests
{
    protected override string Provider => "Postgres";
    protected override Task<string> NewDatabaseAsync() => SharedPostgres.NewDatabaseAsync();
}
