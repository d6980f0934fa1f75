using Baton.Durable.History;
using Baton.Durable.Storage;
using static Baton.Durable.OrchestrationRuntimeStatus;

namespace Baton.Durable.Tests.Storage;

public abstract partial class StoreContractTests
{
    [Fact]
    public async Task Create_NewInstance_IsPendingWithExecutionStartedMessage()
    {
        var instance = Instance("create-1", input: "{\"n\":1}");
        var result = await Store.CreateInstanceAsync(instance, DefaultDedupe);

        Assert.Equal(new CreateResult(CreateOutcome.Created, "create-1"), result);
        var record = await GetAsync("create-1");
        Assert.Equal((Pending, instance.ExecutionId, "Hello", "1.0", "{\"n\":1}"),
            (record.Status, record.ExecutionId, record.Name, record.Version, record.Input));
        Assert.Equal("a", record.Tags!["team"]);
        Assert.Equal(0, record.HistoryCount);

        var item = await ClaimOnlyAsync("create-1");
        var started = Assert.Single(item.Messages);
        Assert.Equal(HistoryEventType.ExecutionStarted, started.Event.Type);
        Assert.Equal((instance.ExecutionId, "{\"n\":1}", "Hello", 1), (started.Event.ExecutionId, started.Event.Data, started.Event.Name, started.DequeueCount));
        Assert.Empty(item.History);
    }

    [Fact]
    public async Task Create_IdInDedupeStatus_ReturnsAlreadyExists()
    {
        await StartAsync("dup");

        var result = await Store.CreateInstanceAsync(Instance("dup"), DefaultDedupe);

        Assert.Equal(new CreateResult(CreateOutcome.AlreadyExists, "dup", Pending), result);
        Assert.Equal(1, (await Store.GetCountsAsync()).Instances);
    }

    [Fact]
    public async Task Create_IdOfFinishedInstance_ReplacesItUnlessItsStatusIsDeduped()
    {
        await CompleteNewAsync("again");

        Assert.Equal(CreateOutcome.AlreadyExists, (await Store.CreateInstanceAsync(Instance("again"), [Pending, Running, Completed])).Outcome);
        var replacement = Instance("again", input: "\"second\"");
        Assert.Equal(CreateOutcome.Created, (await Store.CreateInstanceAsync(replacement, DefaultDedupe)).Outcome);

        var record = await GetAsync("again");
        Assert.Equal((Pending, replacement.ExecutionId, "\"second\"", 0), (record.Status, record.ExecutionId, record.Input, record.HistoryCount));
        Assert.Empty(await Store.GetHistoryAsync("again"));
        var item = await ClaimOnlyAsync("again");
        Assert.Equal("\"second\"", Assert.Single(item.Messages).Event.Data);
    }

    [Fact]
    public async Task Create_IdempotencyKeyAlreadyUsed_ReturnsIdempotentReplayOfTheFirstInstance()
    {
        Assert.Equal(CreateOutcome.Created, (await Store.CreateInstanceAsync(Instance("key-1", idempotencyKey: "k"), DefaultDedupe)).Outcome);

        var sameId = await Store.CreateInstanceAsync(Instance("key-1", idempotencyKey: "k"), DefaultDedupe);
        var otherId = await Store.CreateInstanceAsync(Instance("key-2", idempotencyKey: "k"), DefaultDedupe);

        Assert.Equal(new CreateResult(CreateOutcome.IdempotentReplay, "key-1", Pending), sameId);
        Assert.Equal(new CreateResult(CreateOutcome.IdempotentReplay, "key-1", Pending), otherId);
        Assert.Null(await Store.GetInstanceAsync("key-2", false));
    }

    [Fact]
    public async Task Create_StartAtInFuture_IsNotClaimedUntilDue()
    {
        await StartAsync("later", startAt: UtcNow + ShortLease);
        // An event raised before the start waits for it too.
        Assert.Equal(EnqueueOutcome.Enqueued, (await Store.EnqueueMessageAsync("later", Event(HistoryEventType.EventRaised, name: "early"))).Outcome);

        Assert.Empty(await ClaimAllAsync());
        await Task.Delay(PastShortLease);

        var item = await ClaimOnlyAsync("later");
        Assert.Equal([HistoryEventType.ExecutionStarted, HistoryEventType.EventRaised], item.Messages.Select(m => m.Event.Type));
    }

    [Fact]
    public async Task Enqueue_MissingFinishedOrDuplicate_ReportsWhy()
    {
        await CompleteNewAsync("done");
        await StartAsync("live");
        var raised = Event(HistoryEventType.EventRaised, name: "approval", data: "true");

        Assert.Equal(new EnqueueResult(EnqueueOutcome.NotFound), await Store.EnqueueMessageAsync("nobody", raised));
        Assert.Equal(new EnqueueResult(EnqueueOutcome.Terminal, Completed), await Store.EnqueueMessageAsync("done", raised));
        // With a key, a missing or finished instance is still reported as such (and its key is not kept).
        Assert.Equal(new EnqueueResult(EnqueueOutcome.NotFound), await Store.EnqueueMessageAsync("nobody", raised, dedupeKey: "k"));
        Assert.Equal(new EnqueueResult(EnqueueOutcome.Terminal, Completed), await Store.EnqueueMessageAsync("done", raised, dedupeKey: "k"));
        Assert.Equal(new EnqueueResult(EnqueueOutcome.Terminal, Completed), await Store.EnqueueMessageAsync("done", raised, dedupeKey: "k"));
        Assert.Equal(EnqueueOutcome.Enqueued, (await Store.EnqueueMessageAsync("live", raised, dedupeKey: "d1")).Outcome);
        Assert.Equal(EnqueueOutcome.Duplicate, (await Store.EnqueueMessageAsync("live", raised, dedupeKey: "d1")).Outcome);

        // The key is remembered after the event was consumed, so a late client retry is still a no-op.
        var item = await ClaimOnlyAsync("live");
        Assert.Equal(2, item.Messages.Count);
        Assert.Equal(CommitOutcome.Committed, await Store.CommitEpisodeAsync(Commit(item, Running, FirstEpisodeHistory(item))));
        Assert.Equal(EnqueueOutcome.Duplicate, (await Store.EnqueueMessageAsync("live", raised, dedupeKey: "d1")).Outcome);
        Assert.Equal(EnqueueOutcome.Enqueued, (await Store.EnqueueMessageAsync("live", raised, dedupeKey: "d2")).Outcome);
    }

    [Fact]
    public async Task GetInstance_WithoutPayloads_LeavesInputAndOutputOut()
    {
        await CompleteNewAsync("payloads");

        var full = await GetAsync("payloads");
        var slim = await Store.GetInstanceAsync("payloads", includePayloads: false);

        Assert.Equal(("\"in\"", "\"out\"", Completed), (full.Input, full.Output, full.Status));
        Assert.NotNull(full.CompletedAt);
        Assert.Equal((null, null, Completed), (slim!.Input, slim.Output, slim.Status));
        Assert.Null(await Store.GetInstanceAsync("absent", true));
    }

    [Fact]
    public async Task Query_PagesWithContinuationAndFilters()
    {
        await CompleteNewAsync("q-a-0");
        foreach (var id in new[] { "q-a-1", "q-a-2", "q-b-1" }) await StartAsync(id);
        await Task.Delay(30);
        var secondWave = UtcNow;
        // Clear of the boundary on both sides: the filters compare whole milliseconds, and a start in the same
        // millisecond as secondWave would match CreatedTo as well as CreatedFrom.
        await Task.Delay(30);
        foreach (var id in new[] { "q-b-2", "q-a-3" }) await StartAsync(id);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.QueryInstancesAsync(new InstanceQuery { PageSize = 2, ContinuationToken = token });
            Assert.InRange(page.Instances.Count, 1, 2);
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(3, pages);
        Assert.Equal(6, seen.Distinct().Count());
        Assert.Equal(["q-a-3", "q-b-2"], seen.TakeLast(2).Order());

        async Task<string[]> IdsAsync(InstanceQuery query) =>
            (await Store.QueryInstancesAsync(query)).Instances.Select(i => i.InstanceId).Order().ToArray();
        Assert.Equal(["q-a-0", "q-a-1", "q-a-2", "q-a-3"], await IdsAsync(new InstanceQuery { InstanceIdPrefix = "q-a-" }));
        Assert.Equal(["q-a-0"], await IdsAsync(new InstanceQuery { Statuses = [Completed] }));
        Assert.Equal(["q-a-3", "q-b-2"], await IdsAsync(new InstanceQuery { CreatedFrom = secondWave }));
        Assert.Equal(["q-a-1", "q-a-2"], await IdsAsync(new InstanceQuery { CreatedTo = secondWave, Statuses = [Pending], InstanceIdPrefix = "q-a" }));
        Assert.All((await Store.QueryInstancesAsync(new InstanceQuery())).Instances, i => Assert.Null(i.Input));
        Assert.All((await Store.QueryInstancesAsync(new InstanceQuery { IncludePayloads = true })).Instances, i => Assert.Equal("\"in\"", i.Input));
    }

    [Fact]
    public async Task Create_ManyConcurrently_AllCommitAndAreClaimable()
    {
        var ids = Enumerable.Range(0, 200).Select(i => $"many-{i:D3}").ToArray();

        var results = await Task.WhenAll(ids.Select(id => Store.CreateInstanceAsync(Instance(id), DefaultDedupe)));

        Assert.All(results, r => Assert.Equal(CreateOutcome.Created, r.Outcome));
        var claimed = new List<OrchestrationWorkItem>();
        for (var round = 0; round < 10 && claimed.Count < ids.Length; round++) claimed.AddRange(await ClaimAllAsync());
        Assert.Equal(ids, claimed.Select(c => c.InstanceId).Order());
        var commits = await Task.WhenAll(claimed.Select(item => Store.CommitEpisodeAsync(Commit(item, Completed, FirstEpisodeHistory(item)))));
        Assert.All(commits, c => Assert.Equal(CommitOutcome.Committed, c));
        Assert.Equal(new StoreCounts(200, 0, 0, 0), await Store.GetCountsAsync());
    }
}
