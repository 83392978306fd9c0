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
        // Rows naming a container now belong to it: a rename or delete of the container carries them along.
        // Rebuilt tables keep every column, key and index; rows of containers that no longer exist are dropped.
        new(550, "leases, forwards, routes, placements and snapshots belong to their container",
            """
            CREATE TABLE leases_new (
                network TEXT NOT NULL,
                address TEXT NOT NULL,
                address6 TEXT NULL,
                container TEXT NOT NULL REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                hwaddr TEXT NOT NULL,
                nic INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (network, address),
                UNIQUE (container, network),
                UNIQUE (container, nic)
            );
            INSERT INTO leases_new (network, address, address6, container, hwaddr, nic)
                SELECT network, address, address6, container, hwaddr, nic FROM leases WHERE container IN (SELECT name FROM containers);
            DROP TABLE leases;
            ALTER TABLE leases_new RENAME TO leases;

            CREATE TABLE forwards_new (
                protocol TEXT NOT NULL,
                host_port INTEGER NOT NULL,
                host_port_end INTEGER NOT NULL,
                container TEXT NOT NULL REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                container_port INTEGER NOT NULL,
                container_port_end INTEGER NOT NULL,
                listen_address TEXT NULL,
                ssh INTEGER NOT NULL,
                PRIMARY KEY (protocol, host_port)
            );
            INSERT INTO forwards_new (protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh)
                SELECT protocol, host_port, host_port_end, container, container_port, container_port_end, listen_address, ssh FROM forwards WHERE container IN (SELECT name FROM containers);
            DROP TABLE forwards;
            ALTER TABLE forwards_new RENAME TO forwards;
            CREATE INDEX forwards_container ON forwards (container);

            CREATE TABLE proxy_routes_new (
                domain TEXT NOT NULL,
                path TEXT NOT NULL,
                container TEXT NOT NULL REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                port INTEGER NOT NULL,
                max_body TEXT NOT NULL,
                timeout TEXT NOT NULL,
                websocket INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                tls TEXT NULL,
                redirect_https INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (domain, path)
            );
            INSERT INTO proxy_routes_new (domain, path, container, port, max_body, timeout, websocket, created_at, tls, redirect_https)
                SELECT domain, path, container, port, max_body, timeout, websocket, created_at, tls, redirect_https FROM proxy_routes WHERE container IN (SELECT name FROM containers);
            DROP TABLE proxy_routes;
            ALTER TABLE proxy_routes_new RENAME TO proxy_routes;
            CREATE INDEX proxy_routes_container ON proxy_routes (container);

            CREATE TABLE container_storage_new (
                container TEXT PRIMARY KEY REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                pool TEXT NOT NULL
            );
            INSERT INTO container_storage_new (container, pool)
                SELECT container, pool FROM container_storage WHERE container IN (SELECT name FROM containers);
            DROP TABLE container_storage;
            ALTER TABLE container_storage_new RENAME TO container_storage;

            CREATE TABLE snapshots_new (
                container TEXT NOT NULL REFERENCES containers (name) ON UPDATE CASCADE ON DELETE CASCADE,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NULL,
                PRIMARY KEY (container, name)
            );
            INSERT INTO snapshots_new (container, name, created_at, expires_at)
                SELECT container, name, created_at, expires_at FROM snapshots WHERE container IN (SELECT name FROM containers);
            DROP TABLE snapshots;
            ALTER TABLE snapshots_new RENAME TO snapshots;
            """),
        // Sessions opened with the admin token: bound to the token they came with (a key derived from it), so a new token ends them.
        new(570, "panel sessions of the admin token",
            """
            CREATE TABLE root_sessions (
                hash TEXT PRIMARY KEY,
                token_key TEXT NOT NULL,
                csrf TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
        // Existing tokens keep reaching everything their user may.
        new(590, "tokens have a scope: full, or metrics only",
            """
            ALTER TABLE tokens ADD COLUMN scope TEXT NOT NULL DEFAULT 'full';
            """),
    ];
}
