using Berth.Daemon.Store;

namespace Berth.Daemon.Audit;

/// <summary>The audit feature's schema steps (numbers 600 and up).</summary>
public static class AuditMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        // No foreign key to users: the record of what a user did outlives the user.
        new(600, "audit log of mutating requests",
            """
            CREATE TABLE audit (
                id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                user_name TEXT NULL,
                token TEXT NULL,
                address TEXT NULL,
                method TEXT NOT NULL,
                path TEXT NOT NULL,
                action TEXT NOT NULL,
                target TEXT NULL,
                status INTEGER NOT NULL,
                job_id TEXT NULL,
                detail TEXT NULL
            );
            CREATE INDEX audit_at ON audit (at);
            CREATE INDEX audit_user_at ON audit (user_name, at);
            """),
    ];
}
