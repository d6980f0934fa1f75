using System.Text.Json;
using Baton.Durable.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Baton.Durable.Storage.Sqlite;

internal sealed class SqliteDialect : SqlDialect
{
    const int SqliteBusy = 5, SqliteLocked = 6, SqliteConstraint = 19;
    const int SqliteConstraintPrimaryKey = 1555, SqliteConstraintUnique = 2067;

    public static readonly SqliteDialect Instance = new();

    // SQLite has no arrays; a JSON array parameter expanded by json_each keeps one statement text for any list size.
    public override string In(string expression, string parameter) => $"{expression} IN (SELECT value FROM json_each(@{parameter}))";

    public override object ListValue(IReadOnlyCollection<string> values) => JsonSerializer.Serialize(values);

    public override object ListValue(IReadOnlyCollection<long> values) => JsonSerializer.Serialize(values);

    public override string NewToken => "lower(hex(randomblob(16)))";

    // One writer connection: nobody to skip.
    public override string SkipLocked => "";

    public override string IdentityPrimaryKey => "INTEGER PRIMARY KEY";

    public override string ClusteredTable => "WITHOUT ROWID";

    public override string QueueTable => "";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint } e
        && e.SqliteExtendedErrorCode is SqliteConstraintPrimaryKey or SqliteConstraintUnique;

    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteBusy or SqliteLocked };
}
