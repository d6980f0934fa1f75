using Baton.Durable.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Hosting;

/// <summary>
/// The embedded default: with no connection string the SQLite database lives in <c>.baton/baton.db</c> under the
/// content root, and the folder of any SQLite database is created when missing.
/// </summary>
static class EmbeddedStorage
{
    public const string DataFolder = ".baton";
    public const string DatabaseFile = "baton.db";

    public static WebApplicationBuilder AddEmbeddedStorageDefaults(this WebApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        builder.Services.PostConfigure<DurableOptions>(options => Prepare(options, contentRoot));

        var configured = builder.Configuration.GetSection(DurableOptions.SectionName).Get<DurableOptions>() ?? new DurableOptions();
        Prepare(configured, contentRoot, createFolder: false);
        HostFeatures.In(builder.Services).Enable("durableStore", Describe(configured));
        return builder;
    }

    static bool IsSqlite(DurableOptions options) => options.Provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase);

    static void Prepare(DurableOptions options, string contentRoot) => Prepare(options, contentRoot, createFolder: true);

    static void Prepare(DurableOptions options, string contentRoot, bool createFolder)
    {
        if (!IsSqlite(options)) return;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            options.ConnectionString = Path.Combine(contentRoot, DataFolder, DatabaseFile);
        if (createFolder && DatabasePath(options.ConnectionString) is { } path && Path.GetDirectoryName(path) is { Length: > 0 } folder)
            Directory.CreateDirectory(folder);
    }

    /// <summary>The database file of a SQLite connection string (a plain path or <c>Data Source=…</c>), or null for
    /// an in-memory database.</summary>
    static string? DatabasePath(string connectionString)
    {
        if (!connectionString.Contains('=')) return Path.GetFullPath(connectionString);
        var parsed = new SqliteConnectionStringBuilder(connectionString);
        if (parsed.Mode == SqliteOpenMode.Memory || parsed.DataSource is "" or ":memory:") return null;
        return Path.GetFullPath(parsed.DataSource);
    }

    /// <summary>For the start-up log and /readyz: where the data lives, without any credential.</summary>
    static string Describe(DurableOptions options) => IsSqlite(options)
        ? $"SQLite at {DatabasePath(options.ConnectionString!) ?? "memory"}"
        : $"{options.Provider} (schema {options.PostgresSchema})";
}
