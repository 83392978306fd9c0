namespace Berth.Daemon.Storage;

/// <summary>Directory modes the pools need: unprivileged containers' mapped root must be able to traverse down to their rootfs.</summary>
public static class StorageLayout
{
    public const UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The pool's copies of images (images/FINGERPRINT), leaving out copies still being made.</summary>
    public static IEnumerable<string> ImageCopies(StoragePool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var images = Path.Combine(pool.Path, "images");
        return Directory.Exists(images)
            ? Directory.GetDirectories(images).Where(i => Path.GetFileName(i) is { Length: 64 } name && name.All(char.IsAsciiHexDigitLower))
            : [];
    }

    /// <summary>Moves containers/NAME and snapshots/NAME of a pool that keeps whole trees there (directories or subvolumes).</summary>
    public static void RenameContainer(StoragePool pool, string container, string newName)
    {
        ArgumentNullException.ThrowIfNull(pool);
        foreach (var area in new[] { "containers", "snapshots" })
        {
            var from = Path.Combine(pool.Path, area, container);
            if (Directory.Exists(from))
            {
                Directory.Move(from, Path.Combine(pool.Path, area, newName));
            }
        }
    }

    public static void EnsureTraversable(string directory)
    {
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, Traversable);
    }
}
