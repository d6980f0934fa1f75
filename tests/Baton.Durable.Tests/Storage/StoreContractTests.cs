using Baton.Durable.History;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

/// <summary>
/// The <see cref="IDurableStore"/> contract, run against every provider by a subclass that supplies a migrated store on
/// a database of its own (SQLite: a temp file per test; PostgreSQL: a schema per test in a database per class).
/// Leases in these tests are short and real time passes; nothing is skipped.
/// </summary>
public abstract partial class StoreContractTests : IAsyncLifetime
{
    // Long enough that a busy machine does not let a lease lapse between two steps of a test (several tests check that a
    // row is still leased, or not yet due, a step or three after taking it: 800 ms was within reach of a stall on a loaded
    // 2-core machine), short enough to wait out.
    protected static readonly TimeSpan ShortLease = TimeSpan.FromSeconds(2);
    protected static readonly TimeSpan PastShortLease = TimeSpan.FromMilliseconds(2200);
    protected static readonly TimeSpan LongLease = TimeSpan.FromMinutes(5);
    protected static readonly OrchestrationRuntimeStatus[] DefaultDedupe = [Pending, Running, Suspended];

    readonly List<IDurableStore> opened = [];

    protected IDurableStore Store { get; private set; } = null!;

    /// <summary>A migrated store on this test's database; several calls give several stores on the same database.</summary>
    protected abstract Task<IDurableStore> CreateStoreAsync();

    /// <summary>Runs raw SQL against this test's database (to plant rows the API would never write).</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    public async Task InitializeAsync() => Store = await OpenStoreAsync();

    public async Task DisposeAsync()
    {
        foreach (var store in opened) await store.DisposeAsync();
    }

    protected async Task<IDurableStore> OpenStoreAsync()
    {
        var store = await CreateStoreAsync();
        opened.Add(store);
        return store;
    }

    [Fact]
    public async Task Migrate_RunTwice_IsIdempotentAndReady()
    {
        await Store.MigrateAsync();
        Assert.True(await Store.IsReadyAsync());
        Assert.Equal(new StoreCounts(0, 0, 0, 0), await Store.GetCountsAsync());
    }

    // ---- helpers ---------------------------------------------------------------------------------

    protected static DateTime UtcNow => DateTime.UtcNow;

    protected static NewInstance Instance(string id, string? input = "\"in\"", DateTime? startAt = null, string? idempotencyKey = null,
        ParentOrchestrationInstance? parent = null) =>
        new(id, "exec-" + Guid.NewGuid().ToString("N")[..8], "Hello", "1.0", input, startAt, new Dictionary<string, string> { ["team"] = "a" },
            parent, idempotencyKey);

    protected static HistoryEvent Event(HistoryEventType type, int taskId = -1, string? name = null, string? data = null) =>
        new(type, UtcNow) { TaskId = taskId, Name = name, Data = data };

    protected async Task<string> StartAsync(string id, DateTime? startAt = null)
    {
        var result = await Store.CreateInstanceAsync(Instance(id, startAt: startAt), DefaultDedupe);
        Assert.Equal(CreateOutcome.Created, result.Outcome);
        return id;
    }

    /// <summary>Claims and asserts that exactly the given instance was ready.</summary>
    protected async Task<OrchestrationWorkItem> ClaimOnlyAsync(string instanceId, string worker = "w1", TimeSpan? lease = null)
    {
        var items = await Store.ClaimOrchestrationsAsync(worker, 10, 50, lease ?? LongLease);
        var item = Assert.Single(items);
        Assert.Equal(instanceId, item.InstanceId);
        return item;
    }

    protected async Task<IReadOnlyList<OrchestrationWorkItem>> ClaimAllAsync(string worker = "w1") =>
        await Store.ClaimOrchestrationsAsync(worker, 100, 50, LongLease);

    /// <summary>A commit consuming every claimed message, keeping the execution and setting <paramref name="status"/>.</summary>
    protected static EpisodeCommit Commit(OrchestrationWorkItem item, OrchestrationRuntimeStatus status, params HistoryEvent[] history) => new()
    {
        InstanceId = item.InstanceId,
        LockToken = item.LockToken,
        Instance = new InstanceUpdate(item.Instance.ExecutionId, status, status == Completed ? "\"out\"" : null, null, null),
        NewHistory = history,
        ConsumedMessageIds = item.Messages.Select(m => m.Id).ToList(),
    };

    protected static HistoryEvent[] FirstEpisodeHistory(OrchestrationWorkItem item) =>
        [Event(HistoryEventType.OrchestratorStarted), item.Messages.Single(m => m.Event.Type == HistoryEventType.ExecutionStarted).Event];

    /// <summary>Creates an instance and commits its first episode (now Running), returning the claimed work item.</summary>
    protected async Task<OrchestrationWorkItem> StartRunningAsync(string id, Func<EpisodeCommit, EpisodeCommit>? edit = null)
    {
        await StartAsync(id);
        var item = await ClaimOnlyAsync(id);
        var commit = Commit(item, Running, FirstEpisodeHistory(item));
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(edit is null ? commit : edit(commit)));
        return item;
    }

    /// <summary>Creates an instance and runs it to <paramref name="status"/> in one episode.</summary>
    protected async Task CompleteNewAsync(string id, OrchestrationRuntimeStatus status = Completed)
    {
        await StartAsync(id);
        var item = await ClaimOnlyAsync(id);
        var history = FirstEpisodeHistory(item).Append(new HistoryEvent(HistoryEventType.ExecutionCompleted, UtcNow) { Status = status });
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, status, history.ToArray())));
    }

    protected async Task<InstanceRecord> GetAsync(string id) =>
        await Store.GetInstanceAsync(id, includePayloads: true) ?? throw new Xunit.Sdk.XunitException($"Instance {id} not found");
}
