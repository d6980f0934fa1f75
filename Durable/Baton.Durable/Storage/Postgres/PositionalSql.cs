using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Baton.Durable.Storage.Sql;

namespace Baton.Durable.Storage.Postgres;

/// <summary>
/// The store's statements name their parameters (<c>@id</c>); PostgreSQL wants positions (<c>$1</c>). Npgsql can rewrite
/// names itself, but it parses the SQL text on every execution, which costs as much client CPU as the round trip.
/// This does the rewrite once per statement text. A name used twice gets one position.
/// </summary>
internal static partial class PositionalSql
{
    static readonly ConcurrentDictionary<string, Translation> cache = new(StringComparer.Ordinal);

    public sealed record Translation(string Sql, string[] ParameterNames);

    public static Translation For(SqlStatement statement) => cache.GetOrAdd(statement.Text, Translate);

    static Translation Translate(string sql)
    {
        var names = new List<string>();
        var positional = ParameterName().Replace(sql, match =>
        {
            var name = match.Groups[1].Value;
            var index = names.IndexOf(name);
            if (index < 0)
            {
                names.Add(name);
                index = names.Count - 1;
            }
            return "$" + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        return new Translation(positional, names.ToArray());
    }

    // The store's SQL has no '@' inside string literals or operators, so a plain scan is enough.
    [GeneratedRegex("@([A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterName();
}
