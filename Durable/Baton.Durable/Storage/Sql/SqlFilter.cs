namespace Baton.Durable.Storage.Sql;

/// <summary>Builds the WHERE clause of a statement whose conditions depend on which filters were given; only the
/// parameters of present conditions are bound.</summary>
internal sealed class SqlFilter
{
    readonly List<string> conditions = [];
    readonly List<Action<SqlStatement>> binders = [];

    public SqlFilter Where(string condition, Action<SqlStatement>? bind = null)
    {
        conditions.Add(condition);
        if (bind is not null) binders.Add(bind);
        return this;
    }

    /// <summary>created_at within [<paramref name="from"/>, <paramref name="to"/>], either end optional.</summary>
    public SqlFilter CreatedBetween(DateTime? from, DateTime? to)
    {
        if (from is { } start) Where("created_at >= @created_from", s => s.With("created_from", EpochMs.From(start)));
        if (to is { } end) Where("created_at <= @created_to", s => s.With("created_to", EpochMs.From(end)));
        return this;
    }

    public string Clause => conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);

    public SqlStatement Bind(SqlStatement statement)
    {
        foreach (var bind in binders) bind(statement);
        return statement;
    }
}
