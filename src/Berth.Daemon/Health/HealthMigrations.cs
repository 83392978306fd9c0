using Berth.Daemon.Store;

namespace Berth.Daemon.Health;

/// <summary>Health's schema steps (versions 900-909): what the monitor knows of each watched container, kept across berthd restarts.</summary>
public static class HealthMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(900, "health and restart state of watched containers",
            """
            CREATE TABLE container_health (
                container TEXT PRIMARY KEY REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                boot_id TEXT NOT NULL,
                health TEXT NULL,
                failures INTEGER NOT NULL,
                restarts INTEGER NOT NULL,
                streak INTEGER NOT NULL,
                gave_up INTEGER NOT NULL,
                expect_running INTEGER NOT NULL,
                running_since TEXT NULL,
                restart_due TEXT NULL,
                restart_reason TEXT NOT NULL,
                restart_job TEXT NULL,
                failure TEXT NULL,
                failure_at TEXT NULL
            );
            """),
    ];
}
