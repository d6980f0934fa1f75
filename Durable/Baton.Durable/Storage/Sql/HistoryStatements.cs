using Baton.Durable.History;

namespace Baton.Durable.Storage.Sql;

/// <summary>Statements on <c>dt_history</c>. Only the instance's current execution is read.</summary>
internal sealed class HistoryStatements(SqlDialect d)
{
    // The sequence number is computed from the instance row's history_count (not yet updated by this episode), so
    // no round trip is needed to learn the count first; the lease token keeps a stale episode from appending.
    const string AppendSql = """
        INSERT INTO dt_history (instance_id, execution_id, seq, event_type, task_id, name, ts, payload, data)
        SELECT instance_id, @exec, CASE WHEN @reset = 1 THEN 0 ELSE history_count END + @index,
            @type, @task_id, @name, @ts, @payload, @data
        FROM dt_instances WHERE instance_id = @id AND lock_token = @token
        """;

    const string DeleteSql = "DELETE FROM dt_history WHERE instance_id = @id";

    const string CurrentSql = """
        SELECT h.payload, h.data FROM dt_history h
        JOIN dt_instances i ON i.instance_id = h.instance_id AND i.execution_id = h.execution_id
        WHERE h.instance_id = @id ORDER BY h.seq
        """;

    static readonly string SchedulingTypeList =
        "(" + string.Join(", ", EventCodec.SchedulingTypes.Select(t => $"'{t}'")) + ")";

    // Replay needs no inputs of scheduling events: their data is left behind (ENGINE.md §3.2, §5.2.5).
    // Driven from the instances (a primary-key range per instance) rather than from the history rows (an instance lookup
    // per event); the ORDER BY follows the history key so no sort is needed.
    readonly string forClaimSql = $"""
        SELECT h.instance_id, h.payload, CASE WHEN h.event_type IN {SchedulingTypeList} THEN NULL ELSE h.data END
        FROM dt_instances i
        JOIN dt_history h ON h.instance_id = i.instance_id AND h.execution_id = i.execution_id
        WHERE {d.In("i.instance_id", "ids")}
        ORDER BY h.instance_id, h.execution_id, h.seq
        """;

    /// <summary>Appends the episode's event number <paramref name="index"/> to the execution <paramref name="executionId"/>,
    /// numbering from 0 when <paramref name="reset"/> (ContinueAsNew) and after the existing events otherwise.</summary>
    public static SqlStatement Append(string instanceId, string lockToken, string executionId, bool reset, EncodedEvent e, int index) =>
        new SqlStatement(AppendSql).With("id", instanceId).With("token", lockToken).With("exec", executionId)
            .With("reset", reset).With("index", index)
            .With("type", e.Type).With("task_id", e.TaskId).With("name", e.Name).With("ts", e.Timestamp)
            .With("payload", e.Payload).With("data", e.Data);

    public static SqlStatement DeleteAll(string instanceId) => new SqlStatement(DeleteSql).With("id", instanceId);

    public static SqlStatement Current(string instanceId) => new SqlStatement(CurrentSql).With("id", instanceId);

    public SqlStatement ForClaim(IReadOnlyCollection<string> instanceIds) =>
        new SqlStatement(forClaimSql).WithList("ids", d.ListValue(instanceIds));

    public static HistoryEvent Read(System.Data.Common.DbDataReader r, int first) =>
        EventCodec.Decode(r.GetString(first), InstanceRows.NullableString(r, first + 1));
}
