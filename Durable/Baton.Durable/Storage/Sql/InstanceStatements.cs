using Baton.Durable.Serialization;

namespace Baton.Durable.Storage.Sql;

/// <summary>Statements on <c>dt_instances</c>.</summary>
internal sealed class InstanceStatements(SqlDialect d)
{
    const string InsertSql = """
        INSERT INTO dt_instances (instance_id, execution_id, name, version, status, input, parent_name, parent_instance_id,
            parent_execution_id, parent_task_id, tags, idempotency_key, created_at, updated_at, start_at, next_event_at)
        VALUES (@id, @exec, @name, @version, 'Pending', @input, @parent_name, @parent_id,
            @parent_exec, @parent_task, @tags, @key, @now, @now, @start_at, @visible_at)
        ON CONFLICT DO NOTHING
        """;

    // The fence and the whole instance-row change of an episode, run last (ENGINE.md §3.4 step 1, folded with the
    // next_event_at recomputation): it affects one row only while the caller's lease token is current. One UPDATE per
    // commit matters on PostgreSQL, where every instance-row update writes a new tuple into each index.
    const string ApplyEpisodeSql = """
        UPDATE dt_instances SET execution_id = @exec, status = @status, output = @output, custom_status = @custom_status,
            failure = @failure,
            input = CASE WHEN @input_changed = 1 THEN @input ELSE input END,
            version = COALESCE(@version, version),
            history_count = CASE WHEN @reset = 1 THEN 0 ELSE history_count END + @count,
            history_bytes = CASE WHEN @reset = 1 THEN 0 ELSE history_bytes END + @bytes,
            row_version = row_version + 1, updated_at = @now,
            completed_at = CASE WHEN @terminal = 1 THEN COALESCE(completed_at, @now) END,
            next_event_at = (SELECT min(m.visible_at) FROM dt_inbox m WHERE m.instance_id = dt_instances.instance_id),
            lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL, claim_count = 0
        WHERE instance_id = @id AND lock_token = @token
        """;

    // Ends a lease (an abandoned episode: its claim still counts as a delivery): the instance is due again when its
    // earliest remaining inbox row is.
    const string ReleaseSql = """
        UPDATE dt_instances SET lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL,
            next_event_at = (SELECT min(m.visible_at) FROM dt_inbox m WHERE m.instance_id = dt_instances.instance_id)
        WHERE instance_id = @id AND lock_token = @token
        """;

    const string RenewSql =
        "UPDATE dt_instances SET lock_expires_at = @expires WHERE instance_id = @id AND lock_token = @token";

    const string StatusSql = "SELECT status FROM dt_instances WHERE instance_id = @id";

    // Two branches rather than an OR, so each uses its index (the key's index is partial: IS NOT NULL makes it usable).
    const string LookupSql = """
        SELECT instance_id, status, idempotency_key FROM dt_instances WHERE instance_id = @id
        UNION ALL
        SELECT instance_id, status, idempotency_key FROM dt_instances WHERE idempotency_key = @key AND idempotency_key IS NOT NULL
        """;

    readonly string claimSql = $"""
        UPDATE dt_instances SET lock_owner = @worker, lock_token = {d.NewToken}, lock_expires_at = @expires,
            claim_count = claim_count + 1
        WHERE instance_id IN (
            SELECT instance_id FROM dt_instances
            WHERE next_event_at <= @now AND (lock_expires_at IS NULL OR lock_expires_at <= @now)
            ORDER BY next_event_at
            LIMIT @max {d.SkipLocked})
        RETURNING {InstanceRows.Columns}, lock_token, claim_count
        """;

    // A claim that found nothing visible delivered nothing: it does not count.
    readonly string releaseManySql = $"""
        UPDATE dt_instances SET lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL, claim_count = claim_count - 1,
            next_event_at = (SELECT min(m.visible_at) FROM dt_inbox m WHERE m.instance_id = dt_instances.instance_id)
        WHERE {d.In("instance_id", "ids")}
        """;

    // A leased instance always has next_event_at set (the due time it was claimed at; a claim leaves it alone), so
    // this index scan finds every lease.
    const string ReleaseLeasesSql = """
        UPDATE dt_instances SET lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL,
            next_event_at = (SELECT min(m.visible_at) FROM dt_inbox m WHERE m.instance_id = dt_instances.instance_id)
        WHERE next_event_at IS NOT NULL AND lock_token IS NOT NULL AND (@worker IS NULL OR lock_owner = @worker)
        """;

    // Same index path as ReleaseLeasesSql.
    const string RenewLeasesSql = """
        UPDATE dt_instances SET lock_expires_at = @expires
        WHERE next_event_at IS NOT NULL AND lock_token IS NOT NULL AND lock_owner = @worker
        """;

    readonly string statusesSql = $"SELECT instance_id, status FROM dt_instances WHERE {d.In("instance_id", "ids")}";

    readonly string childrenSql = $"SELECT instance_id, status FROM dt_instances WHERE {d.In("parent_instance_id", "ids")}";

    public static SqlStatement Insert(NewInstance instance, long now, long visibleAt) => new SqlStatement(InsertSql)
        .With("id", instance.InstanceId).With("exec", instance.ExecutionId).With("name", instance.Name)
        .With("version", instance.Version).With("input", instance.Input)
        .With("parent_name", instance.Parent?.Name).With("parent_id", instance.Parent?.InstanceId)
        .With("parent_exec", instance.Parent?.ExecutionId).With("parent_task", instance.Parent?.TaskId)
        .With("tags", DurableJson.Serialize(instance.Tags)).With("key", instance.IdempotencyKey)
        .With("now", now).With("start_at", EpochMs.From(instance.StartAt)).With("visible_at", visibleAt);

    public static SqlStatement ApplyEpisode(EpisodeCommit commit, int count, long bytes, long now)
    {
        var update = commit.Instance;
        return new SqlStatement(ApplyEpisodeSql)
            .With("id", commit.InstanceId).With("token", commit.LockToken)
            .With("exec", update.ExecutionId).With("status", update.Status.ToString())
            .With("output", update.Output).With("custom_status", update.CustomStatus)
            .With("failure", DurableJson.Serialize(update.Failure))
            .With("input_changed", update.InputChanged).With("input", update.NewInput).With("version", update.NewVersion)
            .With("reset", commit.ResetHistory).With("count", count).With("bytes", bytes)
            .With("terminal", update.Status.IsTerminal()).With("now", now);
    }

    public static SqlStatement Release(string instanceId, string lockToken) =>
        new SqlStatement(ReleaseSql).With("id", instanceId).With("token", lockToken);

    public SqlStatement Claim(string workerId, int max, long now, long expires) => new SqlStatement(claimSql)
        .With("worker", workerId).With("max", max).With("now", now).With("expires", expires);

    public SqlStatement ReleaseMany(IReadOnlyCollection<string> instanceIds) =>
        new SqlStatement(releaseManySql).WithList("ids", d.ListValue(instanceIds));

    /// <summary>Releases every lease of <paramref name="workerId"/>, or every lease at all when it is null.</summary>
    public static SqlStatement ReleaseLeases(string? workerId) => new SqlStatement(ReleaseLeasesSql).With("worker", workerId);

    public static SqlStatement Renew(string instanceId, string lockToken, long expires) =>
        new SqlStatement(RenewSql).With("id", instanceId).With("token", lockToken).With("expires", expires);

    /// <summary>Extends every lease <paramref name="workerId"/> holds to <paramref name="expires"/>.</summary>
    public static SqlStatement RenewLeases(string workerId, long expires) =>
        new SqlStatement(RenewLeasesSql).With("worker", workerId).With("expires", expires);

    public static SqlStatement Status(string instanceId) => new SqlStatement(StatusSql).With("id", instanceId);

    /// <summary>The instance with this id and the one carrying this idempotency key (one query for a start).</summary>
    public static SqlStatement Lookup(string instanceId, string? idempotencyKey) =>
        new SqlStatement(LookupSql).With("id", instanceId).With("key", idempotencyKey);

    public SqlStatement Statuses(IReadOnlyCollection<string> instanceIds) =>
        new SqlStatement(statusesSql).WithList("ids", d.ListValue(instanceIds));

    public SqlStatement Children(IReadOnlyCollection<string> parentIds) =>
        new SqlStatement(childrenSql).WithList("ids", d.ListValue(parentIds));

    public static SqlStatement Get(string instanceId, bool includePayloads) => new SqlStatement(
        $"SELECT {(includePayloads ? InstanceRows.Columns : InstanceRows.ColumnsWithoutPayloads)} FROM dt_instances WHERE instance_id = @id")
        .With("id", instanceId);

    /// <summary>One keyset page ordered by (created_at, instance_id); asks for one extra row to learn whether more follow.</summary>
    public SqlStatement Page(InstanceQuery query, (long CreatedAt, string InstanceId)? after)
    {
        var where = new SqlFilter().CreatedBetween(query.CreatedFrom, query.CreatedTo);
        if (query.Statuses is { Count: > 0 } statuses)
        {
            var names = statuses.Select(x => x.ToString()).ToArray();
            where.Where(d.In("status", "statuses"), s => s.WithList("statuses", d.ListValue(names)));
        }
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            // substr, not LIKE: LIKE is case-insensitive on SQLite and treats % and _ in ids as wildcards.
            var prefix = query.InstanceIdPrefix;
            where.Where("substr(instance_id, 1, @prefix_length) = @prefix",
                s => s.With("prefix_length", prefix.Length).With("prefix", prefix));
        }
        if (after is { } position)
        {
            where.Where("(created_at > @after_created OR (created_at = @after_created AND instance_id > @after_id))",
                s => s.With("after_created", position.CreatedAt).With("after_id", position.InstanceId));
        }
        var columns = query.IncludePayloads ? InstanceRows.Columns : InstanceRows.ColumnsWithoutPayloads;
        return where.Bind(new SqlStatement($"SELECT {columns} FROM dt_instances{where.Clause} ORDER BY created_at, instance_id LIMIT @limit")
            .With("limit", query.PageSize + 1));
    }
}
