using Berth.Daemon.Store;

namespace Berth.Daemon.Updates;

/// <summary>The updates feature's schema steps: one row per update run, which goes with its container.</summary>
public static class UpdateMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(910, "update runs",
            """
            CREATE TABLE update_runs (
                job_id TEXT PRIMARY KEY,
                container TEXT NOT NULL REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                started_at TEXT NOT NULL,
                finished_at TEXT NULL,
                result TEXT NOT NULL,
                error TEXT NULL,
                summary TEXT NULL,
                snapshot TEXT NULL,
                log_path TEXT NOT NULL
            );
            CREATE INDEX update_runs_container ON update_runs (container, started_at);
            """),
    ];
}
