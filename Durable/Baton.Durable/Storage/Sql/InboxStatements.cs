using System.Data.Common;
using Baton.Durable.History;

namespace Baton.Durable.Storage.Sql;

/// <summary>Statements on <c>dt_inbox</c> (and the <c>next_event_at</c> bookkeeping that goes with an insert).</summary>
internal sealed class InboxStatements(SqlDialect d)
{
    const string Columns = "instance_id, execution_id, event_type, name, task_id, payload, data, visible_at, created_at";

    // A message for a Pending instance with a scheduled start waits for the start: otherwise the instance would be
    // claimed before its ExecutionStarted row is visible, again and again.
    static readonly string DueAt = "CASE WHEN status = 'Pending' AND start_at > @visible_at THEN start_at ELSE @visible_at END";

    static readonly string LiveTarget =
        $"instance_id = @id AND status IN {InstanceRows.LiveStatusList} AND (@exec IS NULL OR execution_id = @exec)";

    const string InsertOwnSql =
        $"INSERT INTO dt_inbox ({Columns}) VALUES (@id, @exec, @type, @name, @task_id, @payload, @data, @visible_at, @now)";

    static readonly string InsertForLiveSql = $"""
        INSERT INTO dt_inbox ({Columns}, dedupe_key)
        SELECT instance_id, @exec, @type, @name, @task_id, @payload, @data, {DueAt}, @now, @dedupe_key
        FROM dt_instances WHERE {LiveTarget}
        """;

    // Touches the row only when it must move earlier: an instance-row update is not cheap on PostgreSQL.
    static readonly string BumpLiveSql = $"""
        UPDATE dt_instances SET next_event_at = {DueAt}
        WHERE {LiveTarget} AND (next_event_at IS NULL OR next_event_at > {DueAt})
        """;

    const string InsertIfInstanceSql = $"""
        INSERT INTO dt_inbox ({Columns})
        SELECT instance_id, execution_id, @type, @name, @task_id, @payload, @data, @visible_at, @now
        FROM dt_instances WHERE instance_id = @id AND execution_id = @exec
        """;

    const string InsertUnlessInstanceSql = $"""
        INSERT INTO dt_inbox ({Columns})
        SELECT @target, @target_exec, @type, @name, @task_id, @payload, @data, @visible_at, @now
        WHERE NOT EXISTS (SELECT 1 FROM dt_instances WHERE instance_id = @id AND execution_id = @exec)
        """;

    // Reads up to @max visible rows per claimed instance (ENGINE.md §3.3). Nothing is written: the instance lease makes
    // them the episode's, its commit deletes the ones it consumed by id (in the transaction its fence guards), and the
    // instance's claim_count stands for how often they have been delivered.
    readonly string claimSql = $"""
        SELECT id, instance_id, execution_id, payload, data, visible_at FROM (
            SELECT id, instance_id, execution_id, payload, data, visible_at,
                row_number() OVER (PARTITION BY instance_id ORDER BY id) AS position
            FROM dt_inbox WHERE {d.In("instance_id", "ids")} AND visible_at <= @now) ranked
        WHERE position <= @max
        """;

    readonly string quarantineSql = $"""
        INSERT INTO dt_quarantine (source, source_id, instance_id, execution_id, event_type, name, task_id, payload, data,
            dequeue_count, created_at, reason, moved_at)
        SELECT 'inbox', id, instance_id, execution_id, event_type, name, task_id, payload, data,
            @deliveries, created_at, @reason, @now
        FROM dt_inbox WHERE instance_id = @id AND {d.In("id", "ids")}
        """;

    readonly string deleteConsumedSql = $"DELETE FROM dt_inbox WHERE instance_id = @id AND {d.In("id", "ids")}";

    // Most episodes consume one message. Without a list, PostgreSQL keeps one cached generic plan for this; with one
    // it plans every call afresh (the generic plan of "= ANY(list)" looks dearer than each custom plan).
    const string DeleteOneConsumedSql = "DELETE FROM dt_inbox WHERE instance_id = @id AND id = @message";

    // Only while the lease is still the abandoning episode's: otherwise the rows are someone else's to deliver.
    readonly string unclaimSql = $"""
        UPDATE dt_inbox SET visible_at = @visible_at
        WHERE instance_id = @id AND {d.In("id", "ids")}
          AND EXISTS (SELECT 1 FROM dt_instances i WHERE i.instance_id = @id AND i.lock_token = @token)
        """;

    static readonly string InsertKeyForLiveSql = $"""
        INSERT INTO dt_message_keys (instance_id, dedupe_key, created_at)
        SELECT instance_id, @key, @now FROM dt_instances WHERE instance_id = @id AND status IN {InstanceRows.LiveStatusList}
        ON CONFLICT DO NOTHING
        """;

    /// <summary>A row for the committing instance itself: always inserted.</summary>
    public static SqlStatement InsertOwn(string instanceId, string? executionId, HistoryEvent message, long visibleAt, long now) =>
        Bind(new SqlStatement(InsertOwnSql), message).With("id", instanceId).With("exec", executionId)
            .With("visible_at", visibleAt).With("now", now);

    /// <summary>A row for an instance that must exist and be live (and on <paramref name="executionId"/>, if given);
    /// otherwise nothing is inserted. Pair with <see cref="BumpLive"/>.</summary>
    public static SqlStatement InsertForLive(string instanceId, string? executionId, HistoryEvent message, long visibleAt, long now,
        string? dedupeKey = null) =>
        Bind(new SqlStatement(InsertForLiveSql), message).With("id", instanceId).With("exec", executionId)
            .With("visible_at", visibleAt).With("now", now).With("dedupe_key", dedupeKey);

    /// <summary>Makes a live instance due no later than <paramref name="visibleAt"/>.</summary>
    public static SqlStatement BumpLive(string instanceId, string? executionId, long visibleAt) =>
        new SqlStatement(BumpLiveSql).With("id", instanceId).With("exec", executionId).With("visible_at", visibleAt);

    /// <summary>Inserts a row for instance <paramref name="instanceId"/> only if it is on <paramref name="executionId"/>.</summary>
    public static SqlStatement InsertIfInstance(string instanceId, string executionId, HistoryEvent message, long visibleAt, long now) =>
        Bind(new SqlStatement(InsertIfInstanceSql), message).With("id", instanceId).With("exec", executionId)
            .With("visible_at", visibleAt).With("now", now);

    /// <summary>Inserts a row for <paramref name="targetId"/> only if instance <paramref name="instanceId"/> is NOT on
    /// <paramref name="executionId"/> (e.g. a child insert that lost to an existing instance).</summary>
    public static SqlStatement InsertUnlessInstance(string instanceId, string executionId, string targetId, string targetExecutionId,
        HistoryEvent message, long now) =>
        Bind(new SqlStatement(InsertUnlessInstanceSql), message).With("id", instanceId).With("exec", executionId)
            .With("target", targetId).With("target_exec", targetExecutionId).With("visible_at", now).With("now", now);

    public SqlStatement Claim(IReadOnlyCollection<string> instanceIds, int maxPerInstance, long now) =>
        new SqlStatement(claimSql).WithList("ids", d.ListValue(instanceIds)).With("max", maxPerInstance).With("now", now);

    /// <summary>Copies consumed rows to quarantine. Run inside the commit whose fence proves the lease.</summary>
    public SqlStatement Quarantine(string instanceId, IReadOnlyCollection<long> ids, int deliveries, string reason, long now) =>
        new SqlStatement(quarantineSql).With("id", instanceId).WithList("ids", d.ListValue(ids))
            .With("deliveries", deliveries).With("reason", reason).With("now", now);

    /// <summary>Deletes consumed rows. Run inside the commit whose fence proves the lease: a lost lease rolls it back.</summary>
    public SqlStatement DeleteConsumed(string instanceId, IReadOnlyCollection<long> ids) => ids.Count == 1
        ? new SqlStatement(DeleteOneConsumedSql).With("id", instanceId).With("message", ids.First())
        : new SqlStatement(deleteConsumedSql).With("id", instanceId).WithList("ids", d.ListValue(ids));

    /// <summary>Returns claimed rows to the queue (an abandoned episode), not visible before <paramref name="visibleAt"/>.</summary>
    public SqlStatement Unclaim(string instanceId, string lockToken, IReadOnlyCollection<long> ids, long visibleAt) =>
        new SqlStatement(unclaimSql).With("id", instanceId).With("token", lockToken).WithList("ids", d.ListValue(ids))
            .With("visible_at", visibleAt);

    /// <summary>Records a client idempotency key for a live instance; affects no row when the key was used before or
    /// the instance is missing or finished.</summary>
    public static SqlStatement InsertKeyForLive(string instanceId, string key, long now) =>
        new SqlStatement(InsertKeyForLiveSql).With("id", instanceId).With("key", key).With("now", now);

    /// <summary>A claimed row; <paramref name="deliveries"/> is its instance's claim count.</summary>
    public static InboxMessage ReadClaimed(DbDataReader r, int deliveries) => new(
        Id: r.GetInt64(0),
        InstanceId: r.GetString(1),
        ExecutionId: InstanceRows.NullableString(r, 2),
        Event: EventCodec.Decode(r.GetString(3), InstanceRows.NullableString(r, 4)),
        VisibleAt: EpochMs.ToDateTime(r.GetInt64(5)),
        DequeueCount: deliveries);

    static SqlStatement Bind(SqlStatement statement, HistoryEvent message)
    {
        var e = EventCodec.Encode(message);
        return statement.With("type", e.Type).With("name", e.Name).With("task_id", e.TaskId)
            .With("payload", e.Payload).With("data", e.Data);
    }
}
