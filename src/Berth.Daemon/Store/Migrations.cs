namespace Berth.Daemon.Store;

/// <summary>
/// The schema, as an ordered list of steps. A step is never edited once released: add a new one.
/// Plain SQL that SQLite and PostgreSQL both accept (TEXT timestamps in ISO 8601, INTEGER booleans).
/// </summary>
public static class Migrations
{
    /// <summary>Every step of every feature, in version order.</summary>
    public static IReadOnlyList<Migration> All => [.. Core, .. Storage.StorageMigrations.All, .. Images.ImageMigrations.All, .. Networking.NetworkMigrations.All, .. Proxy.ProxyMigrations.All, .. Users.UserMigrations.All, .. Audit.AuditMigrations.All, .. Backups.BackupMigrations.All, .. Stacks.StackMigrations.All, .. Health.HealthMigrations.All, .. Updates.UpdateMigrations.All, .. HostNetwork.HostNetworkMigrations.All];

    private static IReadOnlyList<Migration> Core { get; } =
    [
        new(1, "containers and jobs",
            """
            CREATE TABLE containers (
                name TEXT PRIMARY KEY,
                image TEXT NOT NULL,
                status TEXT NOT NULL,
                privileged INTEGER NOT NULL,
                config TEXT NOT NULL,
                created_at TEXT NOT NULL,
                job_id TEXT NULL
            );
            CREATE TABLE jobs (
                id TEXT PRIMARY KEY,
                kind TEXT NOT NULL,
                target TEXT NOT NULL,
                status TEXT NOT NULL,
                args TEXT NOT NULL,
                progress TEXT NULL,
                error TEXT NULL,
                created_at TEXT NOT NULL,
                started_at TEXT NULL,
                finished_at TEXT NULL
            );
            CREATE INDEX jobs_created_at ON jobs (created_at);
            CREATE INDEX jobs_status ON jobs (status);
            """),
        new(2, "networks, address leases and port forwards",
            """
            CREATE TABLE networks (
                name TEXT PRIMARY KEY,
                subnet TEXT NOT NULL,
                subnet6 TEXT NULL,
                nat INTEGER NOT NULL,
                isolated INTEGER NOT NULL,
                status TEXT NOT NULL,
                created_at TEXT NOT NULL,
                job_id TEXT NULL
            );
            CREATE TABLE leases (
                network TEXT NOT NULL,
                address TEXT NOT NULL,
                address6 TEXT NULL,
                container TEXT NOT NULL UNIQUE,
                hwaddr TEXT NOT NULL,
                PRIMARY KEY (network, address)
            );
            CREATE TABLE forwards (
                protocol TEXT NOT NULL,
                host_port INTEGER NOT NULL,
                host_port_end INTEGER NOT NULL,
                container TEXT NOT NULL,
                container_port INTEGER NOT NULL,
                container_port_end INTEGER NOT NULL,
                listen_address TEXT NULL,
                ssh INTEGER NOT NULL,
                PRIMARY KEY (protocol, host_port)
            );
            """),
        new(3, "containers keep their image's LXC profile",
            """
            ALTER TABLE containers ADD COLUMN lxc_profile TEXT NULL;
            ALTER TABLE containers ADD COLUMN halt_signal TEXT NULL;
            """),
    ];
}
