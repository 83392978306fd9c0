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
    ];
}
