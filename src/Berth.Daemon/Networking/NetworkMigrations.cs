using Berth.Daemon.Store;

namespace Berth.Daemon.Networking;

/// <summary>Networking's schema steps (versions 300-399).</summary>
public static class NetworkMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(300, "internal networks",
            """
            ALTER TABLE networks ADD COLUMN internal INTEGER NOT NULL DEFAULT 0;
            """),
    ];
}
