using Berth.Daemon.Store;

namespace Berth.Daemon.Images;

/// <summary>The image feature's schema steps.</summary>
public static class ImageMigrations
{
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(200, "custom images",
            """
            CREATE TABLE custom_images (
                alias TEXT PRIMARY KEY,
                base TEXT NOT NULL,
                packages TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            """),
    ];
}
