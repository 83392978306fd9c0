using Berth.Daemon.Store;

namespace Berth.Daemon.Stacks;

/// <summary>Stacks' schema steps (versions 800-899).</summary>
public static class StackMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(800, "stacks: the last applied definition of each stack and the bases built for it",
            """
            CREATE TABLE stacks (
                name TEXT NOT NULL PRIMARY KEY,
                owner TEXT NULL,
                state TEXT NOT NULL,
                updated_at TEXT NOT NULL
            );
            """),
    ];
}
