namespace Baton.Durable.Storage;

/// <summary>The SQLite database file is already open in another process (or another store in this one). SQLite
/// stores are single-process: run one host per file, or use PostgreSQL for several.</summary>
public sealed class StoreInUseException(string databasePath, Exception inner)
    : InvalidOperationException(
        $"The SQLite store '{databasePath}' is in use by another process (lock file '{databasePath}.lock'). " +
        "A SQLite store serves one process; stop the other host or use the PostgreSQL provider for several.", inner)
{
    public string DatabasePath { get; } = databasePath;
}
