namespace Berth.Daemon.Storage;

/// <summary>
/// Directory modes of the pools. Trees are stored unshifted (a container's setuid file is setuid host root), so
/// every area holding them (containers, snapshots, images, staging) is closed to other host users; the pool roots
/// above them stay traversable (0711).
/// </summary>
public static class StorageLayout
{
    public const UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>0700: only host root, which reaches idmapped root filesystems from the host side before the container's namespace exists.</summary>
    public const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>0710 with the containers' root group: for trees the container's mapped root opens by path itself (overlay's mounted rootfs).</summary>
    public const UnixFileMode ContainerRootsOnly = Private | UnixFileMode.GroupExecute;

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

    /// <summary>Creates <paramref name="directory"/> (or narrows an existing one) as 0700 root.</summary>
    public static void EnsurePrivate(string directory)
    {
        Directory.CreateDirectory(directory, Private);
        File.SetUnixFileMode(directory, Private);
    }

    /// <summary>0710 root:<paramref name="gid"/> (the containers' mapped root group), or 0700 when there is no unprivileged map.</summary>
    public static void EnsureReachableByContainerRoots(string directory, long? gid)
    {
        EnsurePrivate(directory);
        if (gid is { } group)
        {
            if (Native.LibcOwnership.lchown(directory, 0, (uint)group) != 0)
            {
                throw new IOException($"cannot give {directory} to the containers' root group");
            }

            File.SetUnixFileMode(directory, ContainerRootsOnly);
        }
    }
}
