using Microsoft.Extensions.Logging;

namespace Baton.Durable.Storage;

/// <summary>Storage log messages; EventIds 9100–9199 (engine/storage range, STYLE.md §2.7).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 9100, Level = LogLevel.Information, Message = "Applied storage migration {Version} ({Description})")]
    public static partial void MigrationApplied(ILogger logger, int version, string description);

    [LoggerMessage(EventId = 9101, Level = LogLevel.Information, Message = "Opened SQLite store {DatabasePath}; cleared leases left by a previous process")]
    public static partial void SqliteOpened(ILogger logger, string databasePath);

    [LoggerMessage(EventId = 9102, Level = LogLevel.Warning, Message = "Write operation failed transiently (attempt {Attempt}); retrying")]
    public static partial void WriteRetried(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 9103, Level = LogLevel.Error, Message = "Write batch of {Count} operation(s) failed")]
    public static partial void WriteBatchFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 9104, Level = LogLevel.Warning, Message = "Duplicate execution detected for {InstanceId}: its history sequence numbers were already committed; the episode was discarded")]
    public static partial void DuplicateExecution(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 9105, Level = LogLevel.Warning, Message = "Read or claim failed transiently (attempt {Attempt}); retrying")]
    public static partial void ReadRetried(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = 9106, Level = LogLevel.Warning, Message = "Background WAL checkpoint failed; the writer's own checkpoint bounds the WAL meanwhile")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception);
}
