using Baton.Durable.Storage.Sql;
using Npgsql;

namespace Baton.Durable.Storage.Postgres;

internal sealed class PostgresDialect : SqlDialect
{
    public static readonly PostgresDialect Instance = new();

    public override string In(string expression, string parameter) => $"{expression} = ANY(@{parameter})";

    public override object ListValue(IReadOnlyCollection<string> values) => values.ToArray();

    public override object ListValue(IReadOnlyCollection<long> values) => values.ToArray();

    public override string NewToken => "gen_random_uuid()::text";

    public override string SkipLocked => "FOR UPDATE SKIP LOCKED";

    public override string IdentityPrimaryKey => "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY";

    public override string ClusteredTable => "";

    // Queue tables churn constantly (ENGINE.md §3.13): leave room for HOT updates and vacuum them early.
    public override string QueueTable =>
        "WITH (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01, autovacuum_vacuum_threshold = 200)";

    public override bool IsUniqueViolation(Exception exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsTransient(Exception exception) =>
        exception is PostgresException
        {
            SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.LockNotAvailable,
        };
}
