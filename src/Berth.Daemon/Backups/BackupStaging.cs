using Berth.Daemon.Hosting;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;

namespace Berth.Daemon.Backups;

/// <summary>
/// Where a backup assembles what restic reads: berth.json and the container's config beside rootfs/, a read-only bind
/// mount of the tree. One fixed directory per container, so restic finds its previous snapshot (same host, same paths)
/// and reads only what changed.
/// </summary>
public sealed class BackupStaging(StatePaths paths)
{
    public string PathOf(string container) => Path.Combine(paths.Root, "backups", "staging", container);

    /// <summary>An empty private staging directory for <paramref name="container"/> (what a crash left there is removed first).</summary>
    public async Task<string> PrepareAsync(string container, CancellationToken cancellationToken)
    {
        var dir = PathOf(container);
        await RemoveAsync(container, cancellationToken).ConfigureAwait(false);
        StorageLayout.EnsurePrivate(Path.GetDirectoryName(dir)!);
        StorageLayout.EnsurePrivate(dir);
        return dir;
    }

    /// <summary>Binds <paramref name="tree"/> read-only at the staging directory's rootfs/ (not recursively: nothing mounted below it is read).</summary>
    public static async Task BindAsync(string tree, string staging, CancellationToken cancellationToken)
    {
        var at = Path.Combine(staging, "rootfs");
        Directory.CreateDirectory(at);
        await CommandRunner.RunAsync("mount", ["--bind", "--", tree, at], cancellationToken).ConfigureAwait(false);
        await CommandRunner.RunAsync("mount", ["-o", "remount,bind,ro", "--", at], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Unmounts and removes the staging directory; never follows into the tree it bound.</summary>
    public async Task RemoveAsync(string container, CancellationToken cancellationToken)
    {
        var dir = PathOf(container);
        var at = Path.Combine(dir, "rootfs");
        while (Directory.Exists(at) && Mounts.IsMountPoint(at))
        {
            await CommandRunner.RunAsync("umount", ["--", at], cancellationToken).ConfigureAwait(false);
        }

        if (Directory.Exists(dir))
        {
            await Images.ImageStore.RemoveTreeAsync(dir).ConfigureAwait(false);
        }
    }
}
