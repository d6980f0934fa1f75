namespace Baton.Durable.Storage.Sql;

/// <summary>One versioned schema step. Never edit a released migration: add a new one (ENGINE.md §3.14).</summary>
/// <param name="Script">Statements separated by semicolons (none inside comments or literals).</param>
internal sealed record Migration(int Version, string Description, string Script)
{
    /// <summary>The script's statements, run one by one (prepared-statement protocols take one statement at a time).</summary>
    public IEnumerable<string> Statements =>
        Script.Split(';').Select(statement => statement.Trim()).Where(statement => statement.Length > 0);
}

/// <summary>
/// The schema, identical on both databases apart from the <see cref="SqlDialect"/> table options (ENGINE.md §3.2).
/// Timestamps are epoch milliseconds. No foreign keys: the store keeps integrity itself and purge deletes from every
/// table.
/// </summary>
internal static class Schema
{
    public const string VersionsTable = "dt_schema_versions";

    public static int LatestVersion => Migrations(Sqlite.SqliteDialect.Instance)[^1].Version;

    // Migration 1's comments describe next_event_at as the lease expiry while an instance is leased. Claims no longer
    // move it (InstanceStatements' claim skips leased rows by lock_expires_at instead, so the claim's update touches no
    // indexed column); released migrations are never edited, so the correction lives here.
    public static IReadOnlyList<Migration> Migrations(SqlDialect d) =>
    [
        new(1, "initial schema", $"""
            CREATE TABLE dt_meta (
                key TEXT PRIMARY KEY,
                value TEXT NULL);

            -- next_event_at: when this instance next needs an episode. It is min(visible_at) of its inbox rows, except
            -- while leased, when it is the lease's expiry (so the claim index only holds claimable work and an expired
            -- lease makes the instance claimable again). The claim scans only this partial index.
            CREATE TABLE dt_instances (
                instance_id TEXT PRIMARY KEY,
                execution_id TEXT NOT NULL,
                name TEXT NOT NULL,
                version TEXT NULL,
                status TEXT NOT NULL,
                input TEXT NULL,
                output TEXT NULL,
                custom_status TEXT NULL,
                failure TEXT NULL,
                parent_name TEXT NULL,
                parent_instance_id TEXT NULL,
                parent_execution_id TEXT NULL,
                parent_task_id INTEGER NULL,
                tags TEXT NULL,
                idempotency_key TEXT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                completed_at BIGINT NULL,
                start_at BIGINT NULL,
                history_count INTEGER NOT NULL DEFAULT 0,
                history_bytes BIGINT NOT NULL DEFAULT 0,
                row_version BIGINT NOT NULL DEFAULT 0,
                next_event_at BIGINT NULL,
                lock_owner TEXT NULL,
                lock_token TEXT NULL,
                lock_expires_at BIGINT NULL) {d.QueueTable};
            CREATE INDEX ix_dt_instances_next_event ON dt_instances (next_event_at) WHERE next_event_at IS NOT NULL;
            CREATE INDEX ix_dt_instances_created ON dt_instances (created_at, instance_id);
            CREATE INDEX ix_dt_instances_status_created ON dt_instances (status, created_at);
            CREATE INDEX ix_dt_instances_completed ON dt_instances (completed_at) WHERE completed_at IS NOT NULL;
            CREATE INDEX ix_dt_instances_parent ON dt_instances (parent_instance_id) WHERE parent_instance_id IS NOT NULL;
            CREATE UNIQUE INDEX ux_dt_instances_idempotency_key ON dt_instances (idempotency_key) WHERE idempotency_key IS NOT NULL;

            -- The primary key is the split-brain tripwire: two workers appending the same sequence numbers cannot both commit.
            -- payload is the event's JSON without its data, and data is the input/result (skipped for scheduling events on claim).
            CREATE TABLE dt_history (
                instance_id TEXT NOT NULL,
                execution_id TEXT NOT NULL,
                seq INTEGER NOT NULL,
                event_type TEXT NOT NULL,
                task_id INTEGER NULL,
                name TEXT NULL,
                ts BIGINT NOT NULL,
                payload TEXT NOT NULL,
                data TEXT NULL,
                PRIMARY KEY (instance_id, execution_id, seq)) {d.ClusteredTable};

            -- External events, completions, timers (future visible_at) and control messages. claim_token marks the rows
            -- an episode claimed: only those are deleted by its commit.
            CREATE TABLE dt_inbox (
                id {d.IdentityPrimaryKey},
                instance_id TEXT NOT NULL,
                execution_id TEXT NULL,
                event_type TEXT NOT NULL,
                name TEXT NULL,
                task_id INTEGER NULL,
                payload TEXT NOT NULL,
                data TEXT NULL,
                visible_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                claim_token TEXT NULL,
                dequeue_count INTEGER NOT NULL DEFAULT 0,
                dedupe_key TEXT NULL) {d.QueueTable};
            CREATE INDEX ix_dt_inbox_instance ON dt_inbox (instance_id, id);
            CREATE UNIQUE INDEX ux_dt_inbox_dedupe_key ON dt_inbox (instance_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

            -- Client idempotency keys of raised events, kept after the event is consumed so a retried raise stays a no-op.
            CREATE TABLE dt_message_keys (
                instance_id TEXT NOT NULL,
                dedupe_key TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (instance_id, dedupe_key)) {d.ClusteredTable};

            -- Activity work queue. While leased, visible_at equals the lease expiry (see dt_instances.next_event_at).
            CREATE TABLE dt_activities (
                id {d.IdentityPrimaryKey},
                instance_id TEXT NOT NULL,
                execution_id TEXT NOT NULL,
                task_id INTEGER NOT NULL,
                name TEXT NOT NULL,
                version TEXT NULL,
                input TEXT NULL,
                tags TEXT NULL,
                timeout_ms BIGINT NULL,
                visible_at BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                lock_owner TEXT NULL,
                lock_token TEXT NULL,
                lock_expires_at BIGINT NULL,
                dequeue_count INTEGER NOT NULL DEFAULT 0,
                UNIQUE (instance_id, execution_id, task_id)) {d.QueueTable};
            CREATE INDEX ix_dt_activities_visible ON dt_activities (visible_at, id);

            -- Poison rows moved out of the inbox or the activity queue (ENGINE.md §3.10).
            CREATE TABLE dt_quarantine (
                id {d.IdentityPrimaryKey},
                source TEXT NOT NULL,
                source_id BIGINT NOT NULL,
                instance_id TEXT NOT NULL,
                execution_id TEXT NULL,
                event_type TEXT NULL,
                name TEXT NULL,
                task_id INTEGER NULL,
                payload TEXT NULL,
                data TEXT NULL,
                dequeue_count INTEGER NOT NULL,
                created_at BIGINT NOT NULL,
                reason TEXT NOT NULL,
                moved_at BIGINT NOT NULL);
            CREATE INDEX ix_dt_quarantine_instance ON dt_quarantine (instance_id);

            -- Named leases for singleton jobs such as retention.
            CREATE TABLE dt_leases (
                name TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                expires_at BIGINT NOT NULL);
            """),
        // External claimers of remote activities list their rows by name (IDurableStore.ListActivitiesAsync).
        new(2, "activities by name", "CREATE INDEX ix_dt_activities_name ON dt_activities (name, id)"),
        // Retention deletes keys by age; without this it would scan every key of every instance.
        new(3, "message keys by age", "CREATE INDEX ix_dt_message_keys_created ON dt_message_keys (created_at)"),
        // Deliveries are counted per instance (claims since its last commit), so a claim writes no inbox row: the
        // instance lease alone makes an episode's messages its own. dt_inbox.claim_token and dequeue_count stay unused.
        new(4, "claims counted per instance", "ALTER TABLE dt_instances ADD COLUMN claim_count INTEGER NOT NULL DEFAULT 0"),
        // An activity carries the trace context of the orchestration that scheduled it (JSON), so its span joins the trace.
        new(5, "activity trace context", "ALTER TABLE dt_activities ADD COLUMN trace TEXT NULL"),
    ];
}
