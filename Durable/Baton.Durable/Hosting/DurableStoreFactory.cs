using Baton.Durable.Storage;
using Microsoft.Extensions.Logging;

namespace Baton.Durable.Hosting;

/// <summary>Creates the store named by <see cref="DurableOptions.Provider"/>.</summary>
public static class DurableStoreFactory
{
    /// <summary>Where the embedded default keeps its database, relative to the working directory.</summary>
    public const string DefaultSqlitePath = ".baton/baton.db";

    public static IDurableStore Create(DurableOptions options, ILoggerFactory loggerFactory) =>
        options.Provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" => new SqliteDurableStore(
                new SqliteStoreOptions
                {
                    DatabasePath = SqlitePath(options.ConnectionString),
                    SynchronousFull = options.SqliteSynchronousFull,
                    HistoryCacheBytes = CacheBytes(options),
                },
                loggerFactory.CreateLogger<SqliteDurableStore>()),
            "postgres" or "postgresql" => new PostgresDurableStore(
                new PostgresStoreOptions
                {
                    ConnectionString = string.IsNullOrWhiteSpace(options.ConnectionString)
                        ? throw new InvalidOperationException("Durable:Provider is Postgres but Durable:ConnectionString is empty.")
                        : options.ConnectionString,
                    Schema = options.PostgresSchema,
                    HistoryCacheBytes = CacheBytes(options),
                },
                loggerFactory.CreateLogger<PostgresDurableStore>()),
            _ => throw new InvalidOperationException(
                $"Unknown Durable:Provider '{options.Provider}'. Use 'Sqlite' (the embedded default) or 'Postgres'."),
        };

    static long CacheBytes(DurableOptions options) => Math.Max(0, options.HistoryCacheMegabytes) * 1024L * 1024;

    /// <summary>Accepts a bare path or an ADO.NET-style <c>Data Source=path</c>.</summary>
    static string SqlitePath(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) return Path.GetFullPath(DefaultSqlitePath);
        const string prefix = "Data Source=";
        var value = connectionString.Trim();
        if (value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) value = value[prefix.Length..].Split(';')[0].Trim();
        return Path.GetFullPath(value);
    }
}
