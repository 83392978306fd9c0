using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Networking's schema steps (versions 400-499).</summary>
public static class NetworkMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(400, "internal networks",
            """
            ALTER TABLE networks ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
            """),
        new(401, "a container can have a lease on several networks, one per interface",
            """
            CREATE TABLE leases_new (
                network TEXT NOT NULL,
                address TEXT NOT NULL,
                address6 TEXT NULL,
                container TEXT NOT NULL,
                hwaddr TEXT NOT NULL,
                nic INTEGER NOT NULL DEFAULT 0,
                PRIMARY KEY (network, address),
                UNIQUE (container, network),
                UNIQUE (container, nic)
            );
            INSERT INTO leases_new (network, address, address6, container, hwaddr, nic)
                SELECT network, address, address6, container, hwaddr, 0 FROM leases;
            DROP TABLE leases;
            ALTER TABLE leases_new RENAME TO leases;
            """),
    ];
}
