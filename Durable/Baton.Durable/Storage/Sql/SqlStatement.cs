using System.Data;

namespace Baton.Durable.Storage.Sql;

/// <summary>One SQL statement and its parameter values. The text is shared by both providers; list parameters are
/// turned into the provider's native form by <see cref="SqlDialect.ListValue(IReadOnlyCollection{string})"/>.</summary>
internal sealed class SqlStatement(string text)
{
    public string Text { get; } = text;

    public List<SqlParameterValue> Parameters { get; } = [];

    public SqlStatement With(string name, string? value) => Add(name, value, DbType.String);

    public SqlStatement With(string name, long? value) => Add(name, value, DbType.Int64);

    public SqlStatement With(string name, int? value) => Add(name, value, DbType.Int32);

    public SqlStatement With(string name, bool value) => Add(name, value ? 1 : 0, DbType.Int32);

    /// <summary>A list for <see cref="SqlDialect.In"/>; <paramref name="providerValue"/> comes from the dialect.</summary>
    public SqlStatement WithList(string name, object providerValue) => Add(name, providerValue, DbType.Object);

    SqlStatement Add(string name, object? value, DbType type)
    {
        Parameters.Add(new SqlParameterValue(name, value, type));
        return this;
    }
}

internal readonly record struct SqlParameterValue(string Name, object? Value, DbType Type);

/// <summary>The affected-row count of a statement queued with <see cref="StoreSession.Defer"/>, known after the flush.</summary>
internal sealed class DeferredResult
{
    public int RowsAffected { get; set; } = -1;
}
