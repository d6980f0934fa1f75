using System.Data.Common;
using Baton.Durable.Serialization;

namespace Baton.Durable.Storage.Sql;

/// <summary>How an instance row is selected and read.</summary>
internal static class InstanceRows
{
    public const string Columns =
        "instance_id, execution_id, name, version, status, input, output, custom_status, failure, created_at, updated_at, " +
        "completed_at, parent_name, parent_instance_id, parent_execution_id, parent_task_id, tags, history_count, " +
        "history_bytes, row_version";

    /// <summary><see cref="Columns"/> with the input and output left out (they can be large).</summary>
    public const string ColumnsWithoutPayloads =
        "instance_id, execution_id, name, version, status, NULL, NULL, custom_status, failure, created_at, updated_at, " +
        "completed_at, parent_name, parent_instance_id, parent_execution_id, parent_task_id, tags, history_count, " +
        "history_bytes, row_version";

    /// <summary>The SQL list of non-terminal statuses, e.g. <c>('Running', 'Pending', 'Suspended')</c>.</summary>
    public static readonly string LiveStatusList = StatusList(Enum.GetValues<OrchestrationRuntimeStatus>().Where(s => !s.IsTerminal()));

    public static readonly string TerminalStatusList = StatusList(Enum.GetValues<OrchestrationRuntimeStatus>().Where(s => s.IsTerminal()));

    public static readonly string[] TerminalStatuses =
        Enum.GetValues<OrchestrationRuntimeStatus>().Where(s => s.IsTerminal()).Select(s => s.ToString()).ToArray();

    public static InstanceRecord Read(DbDataReader r) => new(
        InstanceId: r.GetString(0),
        ExecutionId: r.GetString(1),
        Name: r.GetString(2),
        Version: NullableString(r, 3),
        Status: Enum.Parse<OrchestrationRuntimeStatus>(r.GetString(4)),
        Input: NullableString(r, 5),
        Output: NullableString(r, 6),
        CustomStatus: NullableString(r, 7),
        Failure: r.IsDBNull(8) ? null : DurableJson.Deserialize<TaskFailureDetails>(r.GetString(8)),
        CreatedAt: EpochMs.ToDateTime(r.GetInt64(9)),
        LastUpdatedAt: EpochMs.ToDateTime(r.GetInt64(10)),
        CompletedAt: r.IsDBNull(11) ? null : EpochMs.ToDateTime(r.GetInt64(11)),
        Parent: r.IsDBNull(13) ? null : new ParentOrchestrationInstance(
            NullableString(r, 12) ?? "", r.GetString(13), NullableString(r, 14) ?? "", r.IsDBNull(15) ? -1 : r.GetInt32(15)),
        Tags: r.IsDBNull(16) ? null : DurableJson.Deserialize<Dictionary<string, string>>(r.GetString(16)),
        HistoryCount: r.GetInt32(17),
        HistoryBytes: r.GetInt64(18),
        RowVersion: r.GetInt64(19));

    public static string? NullableString(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);

    static string StatusList(IEnumerable<OrchestrationRuntimeStatus> statuses) =>
        "(" + string.Join(", ", statuses.Select(s => $"'{s}'")) + ")";
}
