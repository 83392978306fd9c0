using Berth.Daemon.Store;

namespace Berth.Daemon.Users;

/// <summary>The members feature's schema steps (numbers 500 and up): users, their tokens and browser sessions.</summary>
public static class UserMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(500, "users, tokens and sessions",
            """
            CREATE TABLE users (
                name TEXT PRIMARY KEY,
                role TEXT NOT NULL,
                password_hash TEXT NULL,
                totp_secret TEXT NULL,
                disabled INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE tokens (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                user_name TEXT NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
                hash TEXT NOT NULL UNIQUE,
                read_only INTEGER NOT NULL,
                expires_at TEXT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT NULL,
                UNIQUE (user_name, name)
            );
            CREATE TABLE sessions (
                hash TEXT PRIMARY KEY,
                user_name TEXT NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
                csrf TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            CREATE INDEX tokens_user ON tokens (user_name);
            CREATE INDEX sessions_user ON sessions (user_name);
            """),
        new(501, "users' setup codes and the last TOTP step used",
            """
            ALTER TABLE users ADD COLUMN setup_hash TEXT NULL;
            ALTER TABLE users ADD COLUMN setup_expires_at TEXT NULL;
            ALTER TABLE users ADD COLUMN totp_last_step INTEGER NULL;
            """),
        new(520, "objects have owners, jobs say who asked",
            """
            ALTER TABLE containers ADD COLUMN owner TEXT NULL REFERENCES users (name) ON UPDATE CASCADE;
            ALTER TABLE networks ADD COLUMN owner TEXT NULL REFERENCES users (name) ON UPDATE CASCADE;
            ALTER TABLE jobs ADD COLUMN requested_by TEXT NULL;
            CREATE INDEX containers_owner ON containers (owner);
            CREATE INDEX jobs_requested_by ON jobs (requested_by);
            """),
        new(530, "users' quotas",
            """
            CREATE TABLE user_quotas (
                user_name TEXT NOT NULL REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
                resource TEXT NOT NULL,
                maximum INTEGER NOT NULL,
                PRIMARY KEY (user_name, resource)
            );
            """),
        new(540, "members' own subordinate id blocks",
            """
            CREATE TABLE user_idmaps (
                user_name TEXT PRIMARY KEY REFERENCES users (name) ON UPDATE CASCADE ON DELETE CASCADE,
                host_uid_start INTEGER NOT NULL UNIQUE,
                host_gid_start INTEGER NOT NULL UNIQUE,
                size INTEGER NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
    ];
}
