using Berth.Daemon.Native;

namespace Berth.Daemon.Storage;

/// <summary>
/// Writes files into a container's root filesystem from the host, whatever its pool: the tree is made ready
/// (mounted, for overlay), and on pools that store files shifted the new files belong to the container's root.
/// </summary>
public sealed class RootfsFiles(StoragePools pools)
{
    /// <summary>Writes <paramref name="relativePath"/> (e.g. etc/hostname) with <paramref name="mode"/>, creating its directories (mode 0755, or <paramref name="directoryMode"/>).</summary>
    public async Task WriteAsync(string container, string relativePath, string content, UnixFileMode mode, CancellationToken cancellationToken, UnixFileMode? directoryMode = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativePath);
        if (Path.IsPathRooted(relativePath) || relativePath.Split('/').Contains(".."))
        {
            throw new ArgumentException($"'{relativePath}' must be a relative path inside the root filesystem", nameof(relativePath));
        }

        var pool = await pools.PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, container, cancellationToken).ConfigureAwait(false);
        var rootfs = driver.RootfsPath(pool, container);
        var shift = driver.HostRootShift(pool, container);

        // Never write through a symlink planted in the container: it could point anywhere on the host.
        var current = rootfs;
        foreach (var component in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipLast(1))
        {
            current = Path.Combine(current, component);
            if (new DirectoryInfo(current).LinkTarget is not null)
            {
                throw new IOException($"{relativePath}: /{Path.GetRelativePath(rootfs, current)} is a symbolic link inside the container; refusing to write through it");
            }

            if (!Directory.Exists(current))
            {
                Directory.CreateDirectory(current);
                File.SetUnixFileMode(current, directoryMode ?? (UnixFileMode)0b111_101_101);
                Own(current, shift);
            }
        }

        // rename() replaces a symlink at the target itself, never what it points to.
        var target = Path.Combine(rootfs, relativePath);
        var temp = target + ".berth-new";
        await File.WriteAllTextAsync(temp, content, cancellationToken).ConfigureAwait(false);
        File.SetUnixFileMode(temp, mode);
        Own(temp, shift);
        File.Move(temp, target, overwrite: true);
    }

    /// <summary>Gives files some tool wrote into the root filesystem (as host root) to the container's root, on pools that store files shifted.</summary>
    public async Task OwnAsync(string container, IReadOnlyList<string> relativePaths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var pool = await pools.PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        var shift = driver.HostRootShift(pool, container);
        var rootfs = driver.RootfsPath(pool, container);
        foreach (var path in relativePaths)
        {
            Own(Path.Combine(rootfs, path), shift);
        }
    }

    /// <summary>Reads a file of the root filesystem, or null when it does not exist; refuses symbolic links on the way.</summary>
    public async Task<string?> ReadAsync(string container, string relativePath, CancellationToken cancellationToken)
    {
        var pool = await pools.PoolOfAsync(container, cancellationToken).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, container, cancellationToken).ConfigureAwait(false);
        var rootfs = driver.RootfsPath(pool, container);
        var current = rootfs;
        foreach (var component in relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            current = Path.Combine(current, component);
            if (new FileInfo(current).LinkTarget is not null)
            {
                throw new IOException($"{relativePath}: /{Path.GetRelativePath(rootfs, current)} is a symbolic link inside the container; refusing to follow it");
            }
        }

        return File.Exists(current) ? await File.ReadAllTextAsync(current, cancellationToken).ConfigureAwait(false) : null;
    }

    private static void Own(string path, long? shift)
    {
        if (shift is { } id && LibcOwnership.lchown(path, (uint)id, (uint)id) != 0)
        {
            throw new IOException($"cannot give {path} to the container's root");
        }
    }
}
