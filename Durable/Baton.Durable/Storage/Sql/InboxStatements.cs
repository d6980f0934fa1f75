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

    // Marks up to @max visible rows per claimed instance with that instance's new lease token (ENGINE.md §3.3).
    readonly string claimSql = $"""
        UPDATE dt_inbox SET
            claim_token = (SELECT i.lock_token FROM dt_instances i WHERE i.instance_id = dt_inbox.instance_id),
            dequeue_count = dequeue_count + 1
        WHERE id IN (
            SELECT id FROM (
                SELECT id, row_number() OVER (PARTITION BY instance_id ORDER BY id) AS position
                FROM dt_inbox WHERE {d.In("instance_id", "ids")} AND visible_at <= @now) ranked
            WHERE position <= @max)
        RETURNING id, instance_id, execution_id, payload, data, visible_at, dequeue_count
        """;

    readonly string quarantineSql = $"""
        INSERT INTO dt_quarantine (source, source_id, instance_id, execution_id, event_type, name, task_id, payload, data,
            dequeue_count, created_at, reason, moved_at)
        SELECT 'inbox', id, instance_id, execution_id, event_type, name, task_id, payload, data,
            dequeue_count, created_at, @reason, @now
        FROM dt_inbox WHERE instance_id = @id AND claim_token = @token AND {d.In("id", "ids")}
        """;

    readonly string deleteConsumedSql =
        $"DELETE FROM dt_inbox WHERE instance_id = @id AND claim_token = @token AND {d.In("id", "ids")}";

    const string UnclaimSql =
        "UPDATE dt_inbox SET claim_token = NULL, visible_at = @visible_at WHERE instance_id = @id AND claim_token = @token";

    // A committed episode that leaves claimed rows unconsumed (the orchestrator finished or continued as new
    // first) did not fail to deliver them: give the delivery back so such rows never look like poison.
    const string ReleaseUnconsumedSql =
        "UPDATE dt_inbox SET claim_token = NULL, dequeue_count = dequeue_count - 1 WHERE instance_id = @id AND claim_token = @token";

    const string InsertKeySql =
        "INSERT INTO dt_message_keys (instance_id, dedupe_key, created_at) VALUES (@id, @key, @now) ON CONFLICT DO NOTHING";

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

    public SqlStatement Quarantine(string instanceId, string lockToken, IReadOnlyCollection<long> ids, string reason, long now) =>
        new SqlStatement(quarantineSql).With("id", instanceId).With("token", lockToken).WithList("ids", d.ListValue(ids))
            .With("reason", reason).With("now", now);

    public SqlStatement DeleteConsumed(string instanceId, string lockToken, IReadOnlyCollection<long> ids) =>
        new SqlStatement(deleteConsumedSql).With("id", instanceId).With("token", lockToken).WithList("ids", d.ListValue(ids));

    /// <summary>Returns the rows a committed episode claimed but did not consume, without counting the delivery.</summary>
    public static SqlStatement ReleaseUnconsumed(string instanceId, string lockToken) =>
        new SqlStatement(ReleaseUnconsumedSql).With("id", instanceId).With("token", lockToken);

    /// <summary>Returns claimed rows to the queue (an abandoned episode), not visible before <paramref name="visibleAt"/>.</summary>
    public static SqlStatement Unclaim(string instanceId, string lockToken, long visibleAt) =>
        new SqlStatement(UnclaimSql).With("id", instanceId).With("token", lockToken).With("visible_at", visibleAt);

    /// <summary>Records a client idempotency key; affects no row when the key was used before.</summary>
    public static SqlStatement InsertKey(string instanceId, string key, long now) =>
        new SqlStatement(InsertKeySql).With("id", instanceId).With("key", key).With("now", now);

    public static InboxMessage ReadClaimed(DbDataReader r) => new(
        Id: r.GetInt64(0),
        InstanceId: r.GetString(1),
        ExecutionId: InstanceRows.NullableString(r, 2),
        Event: EventCodec.Decode(r.GetString(3), InstanceRows.NullableString(r, 4)),
        VisibleAt: EpochMs.ToDateTime(r.GetInt64(5)),
        DequeueCount: r.GetInt32(6));

    static SqlStatement Bind(SqlStatement statement, HistoryEvent message)
    {
        var e = EventCodec.Encode(message);
        return statement.With("type", e.Type).With("name", e.Name).With("task_id", e.TaskId)
            .With("payload", e.Payload).With("data", e.Data);
    }
}
