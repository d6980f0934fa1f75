using System.Data.Common;
using Baton.Durable.History;
using Baton.Durable.Serialization;

namespace Baton.Durable.Storage.Sql;

/// <summary>Statements on <c>dt_activities</c>. While leased, a row's visible_at equals its lease expiry, so the claim
/// scan (visible_at, id) never walks over rows that are being worked on.</summary>
internal sealed class ActivityStatements(SqlDialect d)
{
    // UNIQUE (instance_id, execution_id, task_id) makes scheduling idempotent.
    const string InsertSql = """
        INSERT INTO dt_activities (instance_id, execution_id, task_id, name, version, input, tags, trace, timeout_ms, visible_at, created_at)
        VALUES (@id, @exec, @task_id, @name, @version, @input, @tags, @trace, @timeout_ms, @now, @now)
        ON CONFLICT DO NOTHING
        """;

    // One claim text per filter shape (none, IN, NOT IN); the names travel as one list parameter, so each text is
    // prepared once whatever the names.
    readonly string claimAllSql = ClaimSql(d, nameCondition: "");
    readonly string claimOnlySql = ClaimSql(d, $" AND {d.In("name", "names")}");
    readonly string claimExceptSql = ClaimSql(d, $" AND NOT ({d.In("name", "names")})");

    static string ClaimSql(SqlDialect d, string nameCondition) => $"""
        UPDATE dt_activities SET lock_owner = @worker, lock_token = {d.NewToken}, lock_expires_at = @expires,
            visible_at = @expires, dequeue_count = dequeue_count + 1
        WHERE id IN (
            SELECT id FROM dt_activities
            WHERE visible_at <= @now AND (lock_expires_at IS NULL OR lock_expires_at <= @now){nameCondition}
            ORDER BY visible_at, id
            LIMIT @max {d.SkipLocked})
        RETURNING {WorkItemColumns}
        """;

    const string WorkItemColumns =
        "id, instance_id, execution_id, task_id, name, input, timeout_ms, lock_token, dequeue_count, lock_owner, lock_expires_at, version, tags, trace";

    const string GetSql = $"SELECT {WorkItemColumns} FROM dt_activities WHERE id = @id AND lock_token IS NOT NULL";

    const string ListSql = """
        SELECT id, instance_id, execution_id, task_id, name, input, dequeue_count, created_at, visible_at, lock_owner, lock_expires_at
        FROM dt_activities WHERE name = @name ORDER BY id LIMIT @max
        """;

    const string RenewSql =
        "UPDATE dt_activities SET lock_expires_at = @expires, visible_at = @expires WHERE id = @id AND lock_token = @token";

    const string QuarantineSql = """
        INSERT INTO dt_quarantine (source, source_id, instance_id, execution_id, event_type, name, task_id, payload, data,
            dequeue_count, created_at, reason, moved_at)
        SELECT 'activity', id, instance_id, execution_id, 'TaskScheduled', name, task_id, input, NULL,
            dequeue_count, created_at, @reason, @now
        FROM dt_activities WHERE id = @id AND lock_token = @token
        """;

    const string DeleteSql = "DELETE FROM dt_activities WHERE id = @id AND lock_token = @token";

    const string AbandonSql = """
        UPDATE dt_activities SET lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL, visible_at = @visible_at
        WHERE id = @id AND lock_token = @token
        """;

    const string RenewLeasesSql = """
        UPDATE dt_activities SET lock_expires_at = @expires, visible_at = @expires
        WHERE lock_token IS NOT NULL AND lock_owner = @worker
        """;

    const string ReleaseLeasesSql = """
        UPDATE dt_activities SET lock_owner = NULL, lock_token = NULL, lock_expires_at = NULL, visible_at = @now
        WHERE lock_token IS NOT NULL AND (@worker IS NULL OR lock_owner = @worker)
        """;

    /// <summary>Extends every activity lease <paramref name="workerId"/> holds (a leased row is visible again when its
    /// lease ends).</summary>
    public static SqlStatement RenewLeases(string workerId, long expires) =>
        new SqlStatement(RenewLeasesSql).With("worker", workerId).With("expires", expires);

    public static SqlStatement Insert(string instanceId, ActivityRequest request, long now) => new SqlStatement(InsertSql)
        .With("id", instanceId).With("exec", request.ExecutionId).With("task_id", request.TaskId).With("name", request.Name)
        .With("version", request.Version).With("input", request.Input)
        .With("tags", DurableJson.Serialize(request.Tags)).With("trace", DurableJson.Serialize(request.Trace)).With("timeout_ms", request.Timeout is { } t ? EpochMs.From(t) : null).With("now", now);

    /// <summary>The claim for <paramref name="filter"/>; the caller skips the claim when the filter matches nothing.</summary>
    public SqlStatement Claim(string workerId, int max, long now, long expires, ActivityNameFilter filter)
    {
        var sql = filter.MatchesEverything ? claimAllSql : filter.Exclude ? claimExceptSql : claimOnlySql;
        var statement = new SqlStatement(sql).With("worker", workerId).With("max", max).With("now", now).With("expires", expires);
        return filter.MatchesEverything ? statement : statement.WithList("names", d.ListValue(filter.Names));
    }

    public static SqlStatement Get(long id) => new SqlStatement(GetSql).With("id", id);

    public static SqlStatement List(string name, int max) => new SqlStatement(ListSql).With("name", name).With("max", max);

    public static SqlStatement Renew(ActivityWorkItem item, long expires) =>
        new SqlStatement(RenewSql).With("id", item.Id).With("token", item.LockToken).With("expires", expires);

    public static SqlStatement Quarantine(ActivityWorkItem item, string reason, long now) => new SqlStatement(QuarantineSql)
        .With("id", item.Id).With("token", item.LockToken).With("reason", reason).With("now", now);

    public static SqlStatement Delete(ActivityWorkItem item) =>
        new SqlStatement(DeleteSql).With("id", item.Id).With("token", item.LockToken);

    public static SqlStatement Abandon(ActivityWorkItem item, long visibleAt) =>
        new SqlStatement(AbandonSql).With("id", item.Id).With("token", item.LockToken).With("visible_at", visibleAt);

    /// <summary>Releases the leases of <paramref name="workerId"/> (all leases when null); the rows are visible at once.</summary>
    public static SqlStatement ReleaseLeases(string? workerId, long now) =>
        new SqlStatement(ReleaseLeasesSql).With("worker", workerId).With("now", now);

    public static ActivityWorkItem Read(DbDataReader r) => new(
        Id: r.GetInt64(0),
        InstanceId: r.GetString(1),
        ExecutionId: r.GetString(2),
        TaskId: r.GetInt32(3),
        Name: r.GetString(4),
        Input: InstanceRows.NullableString(r, 5),
        Timeout: r.IsDBNull(6) ? null : TimeSpan.FromMilliseconds(r.GetInt64(6)),
        LockToken: r.GetString(7),
        DequeueCount: r.GetInt32(8),
        LockedBy: r.GetString(9),
        LeaseExpiresAt: EpochMs.ToDateTime(r.GetInt64(10)))
    {
        Version = InstanceRows.NullableString(r, 11),
        Tags = r.IsDBNull(12) ? null : DurableJson.Deserialize<Dictionary<string, string>>(r.GetString(12)),
        Trace = r.IsDBNull(13) ? null : DurableJson.Deserialize<TraceContext>(r.GetString(13)),
    };

    public static ActivityRecord ReadRecord(DbDataReader r) => new(
        Id: r.GetInt64(0),
        InstanceId: r.GetString(1),
        ExecutionId: r.GetString(2),
        TaskId: r.GetInt32(3),
        Name: r.GetString(4),
        Input: InstanceRows.NullableString(r, 5),
        DequeueCount: r.GetInt32(6),
        CreatedAt: EpochMs.ToDateTime(r.GetInt64(7)),
        VisibleAt: EpochMs.ToDateTime(r.GetInt64(8)),
        // Abandon and release clear owner, token and expiry together, so an owner means a lease.
        Lease: r.IsDBNull(9) ? null : new ActivityLease(r.GetString(9), EpochMs.ToDateTime(r.GetInt64(10))));
}
