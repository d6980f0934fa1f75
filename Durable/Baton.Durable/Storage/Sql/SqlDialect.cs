namespace Baton.Durable.Storage.Sql;

/// <summary>The few places where SQLite and PostgreSQL SQL differ. Everything else is written once in
/// <see cref="StoreSql"/> and <see cref="Schema"/>.</summary>
internal abstract class SqlDialect
{
    /// <summary>A predicate "<paramref name="expression"/> is one of the values of list parameter @<paramref name="parameter"/>".
    /// One parameter (not one per value) keeps the statement text stable so it is prepared once.</summary>
    public abstract string In(string expression, string parameter);

    public abstract object ListValue(IReadOnlyCollection<string> values);

    public abstract object ListValue(IReadOnlyCollection<long> values);

    /// <summary>An expression producing a fresh random lease token for each row.</summary>
    public abstract string NewToken { get; }

    /// <summary>Appended to a claim's inner SELECT so competing claimers never wait on (or take) each other's rows.</summary>
    public abstract string SkipLocked { get; }

    /// <summary>Column definition of a generated 64-bit primary key.</summary>
    public abstract string IdentityPrimaryKey { get; }

    /// <summary>Table options for tables keyed by their primary key only (SQLite: WITHOUT ROWID).</summary>
    public abstract string ClusteredTable { get; }

    /// <summary>Table options for small, constantly churning queue tables.</summary>
    public abstract string QueueTable { get; }

    /// <summary>A primary-key or unique-index violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>An error that goes away when the operation is simply run again (deadlock, serialization failure, busy).</summary>
    public abstract bool IsTransient(Exception exception);
}
