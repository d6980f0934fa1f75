using Baton.Durable.History;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage;

public abstract partial class SqlDurableStore
{
    public Task<IReadOnlyList<OrchestrationWorkItem>> ClaimOrchestrationsAsync(string workerId, int maxInstances,
        int maxMessagesPerInstance, TimeSpan leaseTtl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxInstances, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessagesPerInstance, 1);
        return ClaimAsync((session, ct) => ClaimOrchestrationsAsync(session, workerId, maxInstances, maxMessagesPerInstance, leaseTtl, ct),
            cancellationToken);
    }

    async ValueTask<IReadOnlyList<OrchestrationWorkItem>> ClaimOrchestrationsAsync(StoreSession session, string workerId,
        int maxInstances, int maxMessagesPerInstance, TimeSpan leaseTtl, CancellationToken cancellationToken)
    {
        var now = session.Now;
        var claimed = await session.QueryAsync(Sql.Instances.Claim(workerId, maxInstances, now, now + Milliseconds(leaseTtl)),
            r => (Instance: InstanceRows.Read(r), Token: r.GetString(20), Deliveries: r.GetInt32(21)), cancellationToken);
        if (claimed.Count == 0) return [];

        var ids = claimed.Select(c => c.Instance.InstanceId).ToArray();
        var deliveries = claimed.ToDictionary(c => c.Instance.InstanceId, c => c.Deliveries, StringComparer.Ordinal);
        var messages = (await session.QueryAsync(Sql.Inbox.Claim(ids, maxMessagesPerInstance, now),
                r => InboxStatements.ReadClaimed(r, deliveries[r.GetString(1)]), cancellationToken))
            .OrderBy(m => m.Id)
            .ToLookup(m => m.InstanceId, StringComparer.Ordinal);

        // An instance that was due but has nothing visible (its rows were abandoned with a back-off meanwhile) is handed
        // back at once, with next_event_at recomputed, rather than given to the engine as an empty episode.
        var empty = ids.Where(id => !messages.Contains(id)).ToArray();
        if (empty.Length > 0) await session.ExecuteAsync(Sql.Instances.ReleaseMany(empty), cancellationToken);
        var ready = claimed.Where(c => messages.Contains(c.Instance.InstanceId)).ToList();
        if (ready.Count == 0) return [];

        var histories = new Dictionary<string, IReadOnlyList<HistoryEvent>>(StringComparer.Ordinal);
        foreach (var (instance, _, _) in ready)
        {
            if (instance.HistoryCount == 0)
            {
                // A new execution has no history to read; cached empty, so its commit can extend the entry.
                histories[instance.InstanceId] = [];
                Histories.Put(instance.InstanceId, instance.ExecutionId, []);
            }
            else if (Histories.TryGet(instance.InstanceId, instance.ExecutionId, instance.HistoryCount, out var cached))
                histories[instance.InstanceId] = cached;
        }
        var unknown = ready.Select(c => c.Instance).Where(i => !histories.ContainsKey(i.InstanceId)).ToList();
        if (unknown.Count > 0)
        {
            var read = (await session.QueryAsync(Sql.History.ForClaim(unknown.Select(i => i.InstanceId).ToArray()),
                    r => (InstanceId: r.GetString(0), Event: HistoryStatements.Read(r, 1)), cancellationToken))
                .ToLookup(h => h.InstanceId, h => h.Event, StringComparer.Ordinal);
            foreach (var instance in unknown)
            {
                var events = read[instance.InstanceId].ToArray();
                histories[instance.InstanceId] = events;
                Histories.Put(instance.InstanceId, instance.ExecutionId, events);
            }
        }
        var claimedAt = EpochMs.ToDateTime(now);
        return ready.Select(c => new OrchestrationWorkItem(
                c.Instance.InstanceId, c.Token, c.Instance,
                histories[c.Instance.InstanceId], messages[c.Instance.InstanceId].ToList(), claimedAt))
            .ToList();
    }

    public async Task<CommitOutcome> CommitEpisodeAsync(EpisodeCommit commit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commit);
        var touched = new HashSet<string>(StringComparer.Ordinal) { commit.InstanceId };
        touched.UnionWith(commit.Children.Select(c => c.InstanceId));
        touched.UnionWith(commit.Messages.Select(m => m.TargetInstanceId));
        var claimed = Histories.Peek(commit.InstanceId);
        // Encoded here, on the caller's thread: the writer's time is what every write waits for.
        var events = commit.NewHistory.Select(EventCodec.Encode).ToList();
        var outcome = await WriteAsync(touched, (session, ct) => CommitEpisodeAsync(session, commit, events, ct), cancellationToken);
        if (outcome == CommitOutcome.Committed && !commit.Instance.Status.IsTerminal())
            Histories.TryExtend(commit.InstanceId, claimed, commit.ResetHistory, commit.Instance.ExecutionId, commit.NewHistory);
        else
            Histories.Remove(commit.InstanceId);
        return outcome;
    }

    /// <summary>ENGINE.md §3.4: history, consumed inbox rows, activities, children and messages, then the fenced
    /// instance update that also recomputes next_event_at and ends the lease — one savepoint, one round trip on
    /// PostgreSQL. Statements before the fence (the consumed rows' delete among them) are undone with the rest when the
    /// fence finds another lease.</summary>
    async ValueTask<OperationResult<CommitOutcome>> CommitEpisodeAsync(StoreSession session, EpisodeCommit commit,
        List<EncodedEvent> events, CancellationToken cancellationToken)
    {
        var (id, token, now) = (commit.InstanceId, commit.LockToken, session.Now);
        var existingChildren = commit.Children.Count == 0
            ? new Dictionary<string, OrchestrationRuntimeStatus>()
            : await StatusesAsync(session, commit.Children.Select(c => c.InstanceId).ToArray(), cancellationToken);
        try
        {
            if (commit.ResetHistory) session.Defer(HistoryStatements.DeleteAll(id));
            for (var first = 0; first < events.Count; first += HistoryStatements.AppendChunk)
                session.Defer(HistoryStatements.Append(id, token, commit.Instance.ExecutionId, commit.ResetHistory, events, first));

            if (commit.ConsumedMessageIds.Count > 0)
            {
                if (commit.QuarantineReason is { } reason)
                    session.Defer(Sql.Inbox.Quarantine(id, commit.ConsumedMessageIds, commit.Deliveries, reason, now));
                session.Defer(Sql.Inbox.DeleteConsumed(id, commit.ConsumedMessageIds));
            }

            foreach (var activity in commit.Activities) session.Defer(ActivityStatements.Insert(id, activity, now));
            foreach (var child in commit.Children) DeferCreateChild(session, commit, child, existingChildren);
            foreach (var message in commit.Messages) DeferSend(session, commit.InstanceId, message);
            var fence = session.Defer(InstanceStatements.ApplyEpisode(commit, events.Count, events.Sum(e => e.ByteCount), now));
            return AfterFlush(() => fence.RowsAffected == 1 ? Keep(CommitOutcome.Committed) : RollBack(CommitOutcome.LeaseLost),
                e => session.Dialect.IsUniqueViolation(e) ? DuplicateExecution(id) : null);
        }
        catch (Exception e) when (session.Dialect.IsUniqueViolation(e))
        {
            return DuplicateExecution(id);   // SQLite runs deferred statements at once
        }
    }

    /// <summary>The history primary key: another worker already appended these sequence numbers (ENGINE.md §3.8).</summary>
    OperationResult<CommitOutcome> DuplicateExecution(string instanceId)
    {
        StorageLog.DuplicateExecution(Logger, instanceId);
        return RollBack(CommitOutcome.LeaseLost);
    }

    void DeferSend(StoreSession session, string senderId, OutboundMessage message)
    {
        var visibleAt = EpochMs.From(message.VisibleAt);
        if (string.Equals(message.TargetInstanceId, senderId, StringComparison.Ordinal))
        {
            session.Defer(InboxStatements.InsertOwn(senderId, message.TargetExecutionId, message.Event, visibleAt, session.Now));
            return;
        }
        // Dropped when the target is missing, finished, or on another execution than the one addressed.
        session.Defer(InboxStatements.InsertForLive(message.TargetInstanceId, message.TargetExecutionId, message.Event, visibleAt, session.Now));
        session.Defer(InboxStatements.BumpLive(message.TargetInstanceId, message.TargetExecutionId, visibleAt));
    }

    /// <summary>Creates a sub-orchestration. An existing finished instance with the id is replaced (as a client start
    /// with the default dedupe statuses would); a live one makes the parent receive SubOrchestrationInstanceFailed.</summary>
    void DeferCreateChild(StoreSession session, EpisodeCommit commit, NewInstance child,
        IReadOnlyDictionary<string, OrchestrationRuntimeStatus> existing)
    {
        if (existing.TryGetValue(child.InstanceId, out var status) && status.IsTerminal())
        {
            foreach (var statement in Sql.Maintenance.DeleteInstanceRows([child.InstanceId])) session.Defer(statement);
        }
        DeferInsertInstance(session, child);
        // Decided by what the row holds after the insert, so a child created concurrently by someone else is seen too.
        var failure = new HistoryEvent(HistoryEventType.SubOrchestrationInstanceFailed, EpochMs.ToDateTime(session.Now))
        {
            TaskId = child.Parent?.TaskId ?? -1,
            Name = child.Name,
            InstanceId = child.InstanceId,
            Failure = new TaskFailureDetails(typeof(OrchestrationAlreadyExistsException).FullName!,
                $"Cannot create sub-orchestration '{child.InstanceId}': the instance id is in use.",
                IsNonRetriable: true),
        };
        session.Defer(InboxStatements.InsertUnlessInstance(child.InstanceId, child.ExecutionId,
            commit.InstanceId, commit.Instance.ExecutionId, failure, session.Now));
    }

    /// <summary>Inserts a Pending instance (unless the id or idempotency key is taken) and its ExecutionStarted row.
    /// The result counts the instance rows inserted (0 or 1).</summary>
    private protected DeferredResult DeferInsertInstance(StoreSession session, NewInstance instance)
    {
        var visibleAt = EpochMs.From(instance.StartAt) ?? session.Now;
        var inserted = session.Defer(InstanceStatements.Insert(instance, session.Now, visibleAt));
        var started = new HistoryEvent(HistoryEventType.ExecutionStarted, EpochMs.ToDateTime(session.Now))
        {
            Name = instance.Name,
            Version = instance.Version,
            Data = instance.Input,
            ExecutionId = instance.ExecutionId,
            Parent = instance.Parent,
            Tags = instance.Tags,
            FireAt = instance.StartAt,
            Trace = instance.Trace,
        };
        session.Defer(InboxStatements.InsertIfInstance(instance.InstanceId, instance.ExecutionId, started, visibleAt, session.Now));
        return inserted;
    }

    private protected async ValueTask<Dictionary<string, OrchestrationRuntimeStatus>> StatusesAsync(StoreSession session,
        IReadOnlyCollection<string> instanceIds, CancellationToken cancellationToken) =>
        (await session.QueryAsync(Sql.Instances.Statuses(instanceIds), r => (Id: r.GetString(0), Status: ParseStatus(r.GetString(1))),
            cancellationToken)).ToDictionary(x => x.Id, x => x.Status, StringComparer.Ordinal);

    public Task<bool> RenewOrchestrationLeaseAsync(OrchestrationWorkItem workItem, TimeSpan leaseTtl,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return WriteAsync([], (session, _) =>
        {
            var renewed = session.Defer(
                InstanceStatements.Renew(workItem.InstanceId, workItem.LockToken, session.Now + Milliseconds(leaseTtl)));
            return ValueTask.FromResult(AfterFlush(() => Keep(renewed.RowsAffected == 1)));
        }, cancellationToken);
    }

    public Task AbandonOrchestrationAsync(OrchestrationWorkItem workItem, TimeSpan retryAfter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workItem);
        return WriteAsync([workItem.InstanceId], (session, ct) =>
        {
            session.Defer(Sql.Inbox.Unclaim(workItem.InstanceId, workItem.LockToken, workItem.Messages.Select(m => m.Id).ToArray(),
                session.Now + Milliseconds(retryAfter)));
            session.Defer(InstanceStatements.Release(workItem.InstanceId, workItem.LockToken));
            return ValueTask.FromResult(Keep(true));
        }, cancellationToken);
    }
}
