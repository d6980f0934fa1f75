namespace Baton.Durable.Storage.Sql;

/// <summary>Timestamps are stored as epoch milliseconds UTC in both databases (ENGINE.md §3.1.6): no time zone or
/// precision differences between SQLite and PostgreSQL.</summary>
internal static class EpochMs
{
    public static long From(DateTime value) => value.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(value).ToUnixTimeMilliseconds(),
        _ => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)).ToUnixTimeMilliseconds(),
    };

    public static long? From(DateTime? value) => value is null ? null : From(value.Value);

    public static long From(TimeSpan duration) => (long)Math.Ceiling(duration.TotalMilliseconds);

    public static DateTime ToDateTime(long value) => DateTimeOffset.FromUnixTimeMilliseconds(value).UtcDateTime;
}
