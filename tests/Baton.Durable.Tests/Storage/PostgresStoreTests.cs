using System.Collections.Concurrent;
using Baton.Durable.History;
using Baton.Durable.Storage;
using Baton.Testing;
using Npgsql;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

/// <summary>The store contract on PostgreSQL (a schema per test in a database per class, on the run's throwaway
/// cluster) plus what only several processes sharing one database can show.</summary>
public sealed class PostgresStoreTests(PostgresDatabaseFixture database) : StoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    readonly string schema = "t_" + Guid.NewGuid().ToString("N")[..12];

    PostgresDurableStore NewStore() => new(new PostgresStoreOptions { ConnectionString = database.ConnectionString, Schema = schema });

    protected override async Task<IDurableStore> CreateStoreAsync()
    {
        var store = NewStore();
        await store.MigrateAsync();
        return store;
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(database.ConnectionString) { SearchPath = schema }.ConnectionString;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Migrate_ConcurrentlyFromSeveralHosts_IsSafe()
    {
        var freshSchema = "m_" + Guid.NewGuid().ToString("N")[..12];
        var stores = Enumerable.Range(0, 4)
            .Select(_ => new PostgresDurableStore(new PostgresStoreOptions { ConnectionString = database.ConnectionString, Schema = freshSchema }))
            .ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.MigrateAsync()));
            Assert.All(await Task.WhenAll(stores.Select(s => s.IsReadyAsync())), Assert.True);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task ClaimOrchestrations_RacingHosts_NeverClaimTheSameInstance()
    {
        var other = await OpenStoreAsync();
        var ids = Enumerable.Range(0, 300).Select(i => $"race-{i:D3}").ToArray();
        await Task.WhenAll(ids.Select(id => Store.CreateInstanceAsync(Instance(id), DefaultDedupe)));

        var claims = new ConcurrentBag<OrchestrationWorkItem>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async claimer =>
        {
            var store = claimer % 2 == 0 ? Store : other;
            while (true)
            {
                var batch = await store.ClaimOrchestrationsAsync($"w{claimer}", 7, 10, LongLease);
                if (batch.Count == 0) return;
                foreach (var item in batch) claims.Add(item);
            }
        }));

        Assert.Equal(ids, claims.Select(c => c.InstanceId).Order());
        Assert.Equal(ids.Length, claims.Select(c => c.LockToken).Distinct().Count());
    }

    [Fact]
    public async Task ClaimActivities_RacingHosts_NeverClaimTheSameRow()
    {
        var other = await OpenStoreAsync();
        await StartRunningAsync("fan-out", commit => commit with
        {
            Activities = Enumerable.Range(0, 300).Select(i => new ActivityRequest(commit.Instance.ExecutionId, i, "Work", null, null)).ToList(),
        });

        var claims = new ConcurrentBag<ActivityWorkItem>();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async claimer =>
        {
            var store = claimer % 2 == 0 ? Store : other;
            while (true)
            {
                var batch = await store.ClaimActivitiesAsync($"w{claimer}", 7, LongLease);
                if (batch.Count == 0) return;
                foreach (var item in batch) claims.Add(item);
            }
        }));

        Assert.Equal(Enumerable.Range(0, 300), claims.Select(c => c.TaskId).Order());
    }

    [Fact]
    public async Task CommitEpisode_HostsExchangingMessages_AllCommitWithoutDeadlock()
    {
        var other = await OpenStoreAsync();
        var ids = Enumerable.Range(0, 60).Select(i => $"chat-{i:D2}").ToArray();
        await Task.WhenAll(ids.Select(id => Store.CreateInstanceAsync(Instance(id), DefaultDedupe)));
        var items = new List<OrchestrationWorkItem>();
        while (items.Count < ids.Length) items.AddRange(await Store.ClaimOrchestrationsAsync("w", 100, 10, LongLease));

        // Every instance messages five others, so concurrent batches touch overlapping instance rows in every order.
        var outcomes = await Task.WhenAll(items.Select((item, n) =>
        {
            var commit = Commit(item, Running, FirstEpisodeHistory(item)) with
            {
                Messages = Enumerable.Range(1, 5)
                    .Select(k => new OutboundMessage(ids[(n + k * 7) % ids.Length], null, Event(HistoryEventType.EventRaised, name: item.InstanceId), UtcNow))
                    .ToList(),
            };
            return (n % 2 == 0 ? Store : other).CommitEpisodeAsync(commit);
        }));

        Assert.All(outcomes, o => Assert.Equal(CommitOutcome.Committed, o));
        Assert.Equal(ids.Length * 5, (await Store.GetCountsAsync()).InboxRows);
        Assert.All(await Task.WhenAll(ids.Select(GetAsync)), r => Assert.Equal(Running, r.Status));
    }

    [Fact]
    public async Task Claim_AfterAnotherHostRanAnEpisode_ReadsTheirEvents()
    {
        // This store caches the first episode's two events; another host then appends two more. The instance row's
        // history count no longer matches, so the next claim here reads the rows instead of handing out its stale copy.
        await StartRunningAsync("shared");
        var other = await OpenStoreAsync();
        await Store.EnqueueMessageAsync("shared", Event(HistoryEventType.EventRaised, name: "first"));
        var theirs = Assert.Single(await other.ClaimOrchestrationsAsync("w2", 10, 50, LongLease));
        Assert.Equal(CommitOutcome.Committed, await other.CommitEpisodeAsync(
            Commit(theirs, Running, Event(HistoryEventType.OrchestratorStarted), theirs.Messages[0].Event)));

        await Store.EnqueueMessageAsync("shared", Event(HistoryEventType.EventRaised, name: "second"));
        var ours = await ClaimOnlyAsync("shared");

        Assert.Equal(4, ours.History.Count);
        Assert.Equal("first", ours.History[3].Name);
    }
}
