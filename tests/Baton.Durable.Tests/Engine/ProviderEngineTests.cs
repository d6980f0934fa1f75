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

    [Fact]
    public async Task Two_workers_racing_on_one_database_never_commit_a_step_twice()
    {
        const int instances = 40;
        var (database, journal) = (await NewDatabaseAsync(), Path.Combine(Directory.CreateTempSubdirectory("baton-race-").FullName, "journal.log"));
        // Both processes schedule the same instances and work on them at once; few slots each so both stay busy. Slow
        // enough steps that one process alone needs several seconds (40 x 5 x 200 ms / 6): on a loaded machine one can
        // start a second or two after the other, and with 50 ms steps the first could finish everything alone.
        var arguments = $"--schedule {instances} --until-done true --step-delay-ms 200 --Durable:MaxConcurrentActivities=6";

        var runs = await Task.WhenAll(
            CrashHostProcess.RunAsync(Provider, database, journal, arguments),
            CrashHostProcess.RunAsync(Provider, database, journal, arguments));

        foreach (var run in runs) AssertEveryInstanceCompletedExactlyOnce(run, journal, instances);
        var lines = ReadJournal(journal);
        // Without crashes every activity ran exactly once, and both processes did part of the work.
        Assert.Equal(lines.Count, lines.Select(l => l[0]).Distinct().Count());
        Assert.Equal(2, lines.Select(l => l[2]).Distinct().Count());
    }
}

public sealed class SqliteSdkCrashSafetyTests : CrashSafetyTests
{
    protected override string Provider => "Sqlite";
    protected override string Engine => "sdk";
    protected override Task<string> NewDatabaseAsync() => TempSqlite.NewDatabaseAsync();
}

public sealed class PostgresSdkCrashSafetyTests : CrashSafetyTests
{
    protected override string Provider => "Postgres";
    protected override string Engine => "sdk";
    protected override Task<string> NewDatabaseAsync() => SharedPostgres.NewDatabaseAsync();

    [Fact]
    public async Task A_killed_hosts_work_is_taken_over_by_a_live_one_within_ten_seconds()
    {
        const int instances = 4;
        var (database, journal) = (await NewDatabaseAsync(), Path.Combine(Directory.CreateTempSubdirectory("baton-takeover-").FullName, "journal.log"));
        // The engine's default leases, not the short ones the other crash tests use: takeover is what they bound.
        var defaults = new Baton.Durable.Hosting.DurableOptions();
        var leases = $"--Durable:OrchestrationLeaseTtl={defaults.OrchestrationLeaseTtl:c} --Durable:ActivityLeaseTtl={defaults.ActivityLeaseTtl:c}";

        // The first host starts every instance and sits in each one's first step (a minute long) when it is killed.
        var doomed = CrashHostProcess.Start(Provider, database, journal, Run($"--schedule {instances} --step-delay-ms 60000 {leases}"));
        await doomed.WaitForReadyAsync();
        await WaitUntilAsync(() => ReadJournal(journal).Count >= instances);
        var survivor = CrashHostProcess.Start(Provider, database, journal, Run($"--schedule {instances} --until-done true {leases}"));
        await survivor.WaitForReadyAsync();

        doomed.KillHard();
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await doomed.WaitForExitAsync();
        await survivor.WaitForExitAsync();

        AssertEveryInstanceCompletedExactlyOnce(survivor.ToResult(), journal, instances);
        // Each first step the dead host held was run again by the survivor, within ten seconds of the kill.
        var retakes = ReadJournal(journal).Where(l => l[0].EndsWith("/0", StringComparison.Ordinal) && long.Parse(l[3]) > killedAt)
            .GroupBy(l => l[0]).Select(g => g.Min(l => long.Parse(l[3])) - killedAt).ToList();
        Assert.Equal(instances, retakes.Count);
        Assert.All(retakes, ms => Assert.InRange(ms, 0, 10_000));
    }

    static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The condition did not hold within a minute.");
            await Task.Delay(50);
        }
    }
}

public sealed class SqliteRemoteActivityTests : RemoteActivityTests
{
    protected override string Provider => "Sqlite";
    protected override Task<string> NewDatabaseAsync() => TempSqlite.NewDatabaseAsync();
}

public sealed class PostgresRemoteActivityTests : RemoteActivityTests
{
    protected override string Provider => "Postgres";
    protected override Task<string> NewDatabaseAsync() => SharedPostgres.NewDatabaseAsync();
}
