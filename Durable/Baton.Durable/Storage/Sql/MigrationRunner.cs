using Microsoft.Extensions.Logging;

namespace Baton.Durable.Storage.Sql;

/// <summary>Applies the missing <see cref="Schema"/> migrations inside the caller's transaction, recording each in
/// the versions table. The caller makes it exclusive (SQLite: the single writer; PostgreSQL: an advisory lock).</summary>
internal static class MigrationRunner
{
    public static async Task<int> ApplyAsync(StoreSession session, ILogger logger, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(new SqlStatement(
            $"CREATE TABLE IF NOT EXISTS {Schema.VersionsTable} (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at BIGINT NOT NULL)"),
            cancellationToken);
        var applied = (await session.QueryAsync(new SqlStatement($"SELECT version FROM {Schema.VersionsTable}"),
            r => Convert.ToInt32(r.GetValue(0)), cancellationToken)).ToHashSet();

        var count = 0;
        foreach (var migration in Schema.Migrations(session.Dialect).Where(m => !applied.Contains(m.Version)))
        {
            foreach (var statement in migration.Statements) await session.ExecuteAsync(new SqlStatement(statement), cancellationToken);
            await session.ExecuteAsync(new SqlStatement(
                $"INSERT INTO {Schema.VersionsTable} (version, description, applied_at) VALUES (@version, @description, @now)")
                .With("version", migration.Version).With("description", migration.Description).With("now", session.Now),
                cancellationToken);
            StorageLog.MigrationApplied(logger, migration.Version, migration.Description);
            count++;
        }
        if (count > 0)
        {
            await session.ExecuteAsync(new SqlStatement(
                "INSERT INTO dt_meta (key, value) VALUES ('schema_version', @value) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
                .With("value", Schema.LatestVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)), cancellationToken);
        }
        return count;
    }

    /// <summary>True when the versions table exists and holds the latest version.</summary>
    public static async Task<bool> IsCurrentAsync(StoreSession session, CancellationToken cancellationToken)
    {
        var latest = await session.ScalarAsync(new SqlStatement($"SELECT max(version) FROM {Schema.VersionsTable}"),
            r => r.IsDBNull(0) ? 0 : Convert.ToInt32(r.GetValue(0)), cancellationToken);
        return latest >= Schema.LatestVersion;
    }
}
