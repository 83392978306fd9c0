namespace Berth.Daemon.Storage;

/// <summary>Directory modes the pools need: unprivileged containers' mapped root must be able to traverse down to their rootfs.</summary>
public static class StorageLayout
{
    public const UnixFileMode Traversable =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static void EnsureTraversable(string directory)
    {
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, Traversable);
    }
}
