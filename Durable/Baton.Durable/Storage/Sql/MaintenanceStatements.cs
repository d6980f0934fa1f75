namespace Baton.Durable.Storage.Sql;

/// <summary>Purge, singleton leases, wake-ups and counts.</summary>
internal sealed class MaintenanceStatements(SqlDialect d)
{
    // Every table that holds rows of an instance, children before the instance row itself.
    static readonly string[] InstanceTables = ["dt_activities", "dt_inbox", "dt_history", "dt_message_keys", "dt_quarantine", "dt_instances"];

    const string AcquireSingletonSql = """
        INSERT INTO dt_leases (name, owner, expires_at) VALUES (@name, @owner, @expires)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
        WHERE dt_leases.owner = excluded.owner OR dt_leases.expires_at <= @now
        RETURNING owner
        """;

    const string ReleaseSingletonsSql = "DELETE FROM dt_leases WHERE @owner IS NULL OR owner = @owner";

    // One per work queue: a dispatcher woken by the other queue's due times would only claim nothing.
    const string NextOrchestrationWakeUpSql = "SELECT min(next_event_at) FROM dt_instances WHERE next_event_at > @now";
    const string NextActivityWakeUpSql = "SELECT min(visible_at) FROM dt_activities WHERE visible_at > @now";

    // Row values in IN: both SQLite (3.15+) and PostgreSQL; the LIMIT keeps each transaction short. A key whose event
    // still waits in the inbox is kept: the inbox's own unique key would refuse a repeat of it.
    const string PurgeMessageKeysSql = """
        DELETE FROM dt_message_keys WHERE (instance_id, dedupe_key) IN (
            SELECT k.instance_id, k.dedupe_key FROM dt_message_keys k
            WHERE k.created_at < @before
              AND NOT EXISTS (SELECT 1 FROM dt_inbox i WHERE i.instance_id = k.instance_id AND i.dedupe_key = k.dedupe_key)
            ORDER BY k.created_at LIMIT @limit)
        """;

    public const string CountsSql = """
        SELECT (SELECT count(*) FROM dt_instances), (SELECT count(*) FROM dt_inbox),
            (SELECT count(*) FROM dt_activities), (SELECT count(*) FROM dt_quarantine)
        """;

    readonly string[] deleteInstanceRowsSql = InstanceTables
        .Select(table => $"DELETE FROM {table} WHERE {d.In("instance_id", "ids")}")
        .ToArray();

    public static SqlStatement AcquireSingleton(string name, string owner, long now, long expires) =>
        new SqlStatement(AcquireSingletonSql).With("name", name).With("owner", owner).With("now", now).With("expires", expires);

    /// <summary>Drops the singleton leases of <paramref name="owner"/> (all when null).</summary>
    public static SqlStatement ReleaseSingletons(string? owner) => new SqlStatement(ReleaseSingletonsSql).With("owner", owner);

    public static SqlStatement NextWakeUp(WorkQueue queue, long now) =>
        new SqlStatement(queue == WorkQueue.Orchestrations ? NextOrchestrationWakeUpSql : NextActivityWakeUpSql).With("now", now);

    /// <summary>Deletes up to <paramref name="limit"/> message dedupe keys recorded before <paramref name="before"/>.</summary>
    public static SqlStatement PurgeMessageKeys(long before, int limit) =>
        new SqlStatement(PurgeMessageKeysSql).With("before", before).With("limit", limit);

    /// <summary>Statements deleting every row of the given instances.</summary>
    public IEnumerable<SqlStatement> DeleteInstanceRows(IReadOnlyCollection<string> instanceIds)
    {
        var ids = d.ListValue(instanceIds);
        return deleteInstanceRowsSql.Select(sql => new SqlStatement(sql).WithList("ids", ids));
    }

    /// <summary>Up to <paramref name="limit"/> terminal instances matching the filter, oldest completion first.</summary>
    public SqlStatement PurgeCandidates(PurgeFilter filter, int limit)
    {
        var statuses = filter.Statuses is null
            ? InstanceRows.TerminalStatuses
            : filter.Statuses.Where(s => s.IsTerminal()).Select(s => s.ToString()).ToArray();
        var where = new SqlFilter()
            .Where("completed_at IS NOT NULL")
            .Where(d.In("status", "statuses"), s => s.WithList("statuses", d.ListValue(statuses)))
            .CreatedBetween(filter.CreatedFrom, filter.CreatedTo);
        if (filter.CompletedBefore is { } completedBefore)
            where.Where("completed_at < @completed_before", s => s.With("completed_before", EpochMs.From(completedBefore)));
        return where.Bind(new SqlStatement($"SELECT instance_id FROM dt_instances{where.Clause} ORDER BY completed_at LIMIT @limit {d.SkipLocked}")
            .With("limit", limit));
    }
}
