using Berth.Daemon.Store;

namespace Berth.Daemon.Storage;

/// <summary>The storage feature's schema steps (pools, which pool each container is in, snapshots).</summary>
public static class StorageMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(100, "storage pools and snapshots",
            """
            CREATE TABLE storage_pools (
                name TEXT PRIMARY KEY,
                driver TEXT NOT NULL,
                path TEXT NOT NULL,
                loop_file TEXT NULL,
                size_bytes INTEGER NULL,
                created_at TEXT NOT NULL
            );
            CREATE TABLE container_storage (
                container TEXT PRIMARY KEY,
                pool TEXT NOT NULL
            );
            CREATE TABLE snapshots (
                container TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NULL,
                PRIMARY KEY (container, name)
            );
            """),
    ];
}
