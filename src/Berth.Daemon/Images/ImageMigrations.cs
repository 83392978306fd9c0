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
        new(201, "published and imported images",
            """
            ALTER TABLE custom_images ADD COLUMN origin TEXT NOT NULL DEFAULT 'packages';
            ALTER TABLE custom_images ADD COLUMN metadata TEXT NULL;
            ALTER TABLE custom_images ADD COLUMN source TEXT NULL;
            """),
        // Images members publish are theirs; null is an image of root's or an admin's, which everybody sees.
        new(560, "image owners",
            """
            ALTER TABLE custom_images ADD COLUMN owner TEXT NULL;
            """),
    ];
}
