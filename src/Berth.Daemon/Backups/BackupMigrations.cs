using Berth.Daemon.Store;

namespace Berth.Daemon.Backups;

/// <summary>
/// The backups feature's schema steps. A backup row names its container without a foreign key: backups outlive the
/// container they are of (restoring a deleted container is what they are for).
/// </summary>
public static class BackupMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(700, "backup targets and backups",
            """
            CREATE TABLE backup_targets (
                name TEXT PRIMARY KEY,
                url TEXT NOT NULL,
                env_keys TEXT NOT NULL,
                secrets TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE backups (
                target TEXT NOT NULL REFERENCES backup_targets (name) ON DELETE CASCADE,
                id TEXT NOT NULL,
                short_id TEXT NOT NULL,
                container TEXT NULL,
                owner TEXT NULL,
                system INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                size_bytes INTEGER NULL,
                files INTEGER NULL,
                PRIMARY KEY (target, id)
            );
            CREATE INDEX backups_container ON backups (container);
            CREATE INDEX backups_short_id ON backups (short_id);
            """),
        new(701, "how the last backup action of each container and target ended",
            """
            CREATE TABLE backup_marks (
                kind TEXT NOT NULL,
                subject TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NULL,
                at TEXT NOT NULL,
                ok INTEGER NOT NULL,
                error TEXT NULL,
                last_success TEXT NULL,
                PRIMARY KEY (kind, subject)
            );
            """),
        new(702, "a counter per target that moves the part of the data a check reads",
            """
            ALTER TABLE backup_targets ADD COLUMN checks_run INTEGER NOT NULL DEFAULT 0;
            """),
    ];
}
