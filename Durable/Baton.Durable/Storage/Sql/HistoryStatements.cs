using Baton.Durable.History;

namespace Baton.Durable.Storage.Sql;

/// <summary>Statements on <c>dt_history</c>. Only the instance's current execution is read.</summary>
internal sealed class HistoryStatements(SqlDialect d)
{
    /// <summary>Most events one append statement writes; longer episodes take several. A bounded row count keeps the
    /// number of distinct statement texts (and prepared statements) small.</summary>
    public const int AppendChunk = 16;

    static readonly string[] appendSql = Enumerable.Range(1, AppendChunk).Select(AppendSqlFor).ToArray();

    // One INSERT for a run of events: their rows come from a UNION ALL of parameter rows, and each sequence number is
    // the instance row's history_count (not yet updated by this episode) plus the event's place in the episode, so no
    // round trip is needed to learn the count first. The lease token keeps a stale episode from appending anything.
    static string AppendSqlFor(int rows)
    {
        var values = string.Join("\n        UNION ALL ", Enumerable.Range(0, rows).Select(k =>
            $"SELECT @base + {k} AS k, @type{k} AS event_type, @task_id{k} AS task_id, @name{k} AS name, @ts{k} AS ts, " +
            $"@payload{k} AS payload, @data{k} AS data"));
        return $"""
            INSERT INTO dt_history (instance_id, execution_id, seq, event_type, task_id, name, ts, payload, data)
            SELECT i.instance_id, @exec, CASE WHEN @reset = 1 THEN 0 ELSE i.history_count END + v.k,
                v.event_type, v.task_id, v.name, v.ts, v.payload, v.data
            FROM dt_instances i, ({values}) v
            WHERE i.instance_id = @id AND i.lock_token = @token
            """;
    }

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

    /// <summary>Appends the episode's events <paramref name="first"/>.. (at most <see cref="AppendChunk"/>) to the execution
    /// <paramref name="executionId"/>, numbering from 0 when <paramref name="reset"/> (ContinueAsNew) and after the
    /// existing events otherwise.</summary>
    public static SqlStatement Append(string instanceId, string lockToken, string executionId, bool reset,
        IReadOnlyList<EncodedEvent> events, int first)
    {
        var rows = Math.Min(AppendChunk, events.Count - first);
        var statement = new SqlStatement(appendSql[rows - 1]).With("id", instanceId).With("token", lockToken)
            .With("exec", executionId).With("reset", reset).With("base", first);
        for (var k = 0; k < rows; k++)
        {
            var e = events[first + k];
            statement.With($"type{k}", e.Type).With($"task_id{k}", e.TaskId).With($"name{k}", e.Name).With($"ts{k}", e.Timestamp)
                .With($"payload{k}", e.Payload).With($"data{k}", e.Data);
        }
        return statement;
    }

    public static SqlStatement DeleteAll(string instanceId) => new SqlStatement(DeleteSql).With("id", instanceId);

    public static SqlStatement Current(string instanceId) => new SqlStatement(CurrentSql).With("id", instanceId);

    public SqlStatement ForClaim(IReadOnlyCollection<string> instanceIds) =>
        new SqlStatement(forClaimSql).WithList("ids", d.ListValue(instanceIds));

    public static HistoryEvent Read(System.Data.Common.DbDataReader r, int first) =>
        EventCodec.Decode(r.GetString(first), InstanceRows.NullableString(r, first + 1));
}
