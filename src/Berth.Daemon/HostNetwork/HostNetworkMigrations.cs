using Berth.Daemon.Store;

namespace Berth.Daemon.HostNetwork;

/// <summary>Host network's schema steps (versions 920-929).</summary>
public static class HostNetworkMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(920, "bridges applied from the host network file",
            """
            CREATE TABLE host_bridges (
                name TEXT PRIMARY KEY,
                position INTEGER NOT NULL,
                interfaces TEXT NOT NULL,
                ipv4 TEXT NULL,
                ipv6 TEXT NULL,
                nat INTEGER NOT NULL,
                network INTEGER NOT NULL
            );
            """),
    ];
}
