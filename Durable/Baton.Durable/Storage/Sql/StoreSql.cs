namespace Baton.Durable.Storage.Sql;

/// <summary>All statements of the store, written once and specialised by the provider's <see cref="SqlDialect"/>.</summary>
internal sealed class StoreSql(SqlDialect dialect)
{
    public SqlDialect Dialect { get; } = dialect;
    public InstanceStatements Instances { get; } = new(dialect);
    public InboxStatements Inbox { get; } = new(dialect);
    public HistoryStatements History { get; } = new(dialect);
    public ActivityStatements Activities { get; } = new(dialect);
    public MaintenanceStatements Maintenance { get; } = new(dialect);
}
