using Baton.Durable.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Baton.Hosting;

/// <summary>
/// Checks the engine's storage settings before anything starts, and applies the embedded default: with no
/// connection string the SQLite database lives in <c>.baton/baton.db</c> under the content root, and the folder
/// of any SQLite database is created when missing.
/// </summary>
static class StorageSetup
{
    public const string FeatureName = "durableStore";
    public const string DataFolder = ".baton";
    public const string DatabaseFile = "baton.db";

    /// <exception cref="InvalidDataException">The provider is unknown, PostgreSQL or Azure Storage has no connection string, or
    /// the Azure Storage task hub name is not valid.</exception>
    public static WebApplicationBuilder AddStorageDefaults(this WebApplicationBuilder builder)
    {
        var contentRoot = builder.Environment.ContentRootPath;
        var configured = builder.Configuration.GetSection(DurableOptions.SectionName).Get<DurableOptions>() ?? new DurableOptions();
        // The store is the one thing the host cannot run without: refuse to start with one clear line.
        if (Problem(configured) is { } problem)
            throw new InvalidDataException(problem);

        builder.Services.PostConfigure<DurableOptions>(options => ApplyDefaults(options, contentRoot, createFolder: true));
        ApplyDefaults(configured, contentRoot, createFolder: false);
        HostFeatures.In(builder.Services).Enable(FeatureName, Describe(configured));
        return builder;
    }

    static string? Problem(DurableOptions options) => options.Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" => null,
        "postgres" or "postgresql" when string.IsNullOrWhiteSpace(options.ConnectionString) =>
            "Durable__Provider is Postgres but Durable__ConnectionString is not set.",
        "postgres" or "postgresql" => null,
        "azurestorage" when string.IsNullOrWhiteSpace(options.ConnectionString) =>
            "Durable__Provider is AzureStorage but Durable__ConnectionString (a storage account's, or Azurite's) is not set.",
        "azurestorage" when !IsTaskHubName(options.TaskHub) =>
            $"Durable__TaskHub '{options.TaskHub}' is not a task hub name: 3 to 45 letters and digits, starting with a letter.",
        "azurestorage" => null,
        _ => $"Durable__Provider '{options.Provider}' is not known; use Sqlite (the embedded default), Postgres or AzureStorage.",
    };

    static bool IsTaskHubName(string name) =>
        name.Length is >= 3 and <= 45 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit);

    /// <summary>DTFx's Azure Storage provider rather than Baton's own store.</summary>
    public static bool IsAzureStorage(DurableOptions options) =>
        options.Provider.Trim().Equals("AzureStorage", StringComparison.OrdinalIgnoreCase);

    static bool IsSqlite(DurableOptions options) => options.Provider.Trim().Equals("Sqlite", StringComparison.OrdinalIgnoreCase);

    static void ApplyDefaults(DurableOptions options, string contentRoot, bool createFolder)
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
    static string Describe(DurableOptions options) =>
        IsSqlite(options) ? $"SQLite at {DatabasePath(options.ConnectionString!) ?? "memory"}"
        : IsAzureStorage(options) ? $"Azure Storage, task hub {options.TaskHub}"
        : $"PostgreSQL, schema {options.PostgresSchema}";
}
