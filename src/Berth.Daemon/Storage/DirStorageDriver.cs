using Berth.Daemon.Api;
using Berth.Daemon.Images;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>Plain directories: always available, full copies (reflinks where the filesystem has them).</summary>
public sealed class DirStorageDriver : IStorageDriver
{
    public string Name => "dir";

    public bool CopyOnWrite => false;

    public bool LxcIdmapsRootfs => true;

    public bool SupportsQuotas => false;

    public Task PrepareAsync(StoragePool pool, string container, CancellationToken cancellationToken) => Task.CompletedTask;

    public long? HostRootShift(StoragePool pool, string container) => null;

    public Task InitialiseAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        StorageLayout.EnsureTraversable(pool.Path);
        // In the default pool this is the lxcpath, which lxc-start wants the container's root to traverse; each
        // container's directory under it is 0700.
        var containers = System.IO.Path.Combine(pool.Path, "containers");
        if (pool.Name == StoragePool.DefaultName)
        {
            StorageLayout.EnsureTraversable(containers);
        }
        else
        {
            StorageLayout.EnsurePrivate(containers);
        }

        StorageLayout.EnsurePrivate(System.IO.Path.Combine(pool.Path, "snapshots"));
        return Task.CompletedTask;
    }

    public string RootfsPath(StoragePool pool, string container)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return System.IO.Path.Combine(pool.Path, "containers", container, "rootfs");
    }

    public string SnapshotPath(StoragePool pool, string container, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return System.IO.Path.Combine(pool.Path, "snapshots", container, snapshot);
    }

    // Snapshots are whole trees, stored as the container sees them.
    public Task<SnapshotTree> OpenSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(new SnapshotTree(SnapshotPath(pool, container, snapshot), null));

    public async Task CreateFromImageAsync(StoragePool pool, string imageRootfs, string imageFingerprint, string container, bool privileged, CancellationToken cancellationToken)
    {
        var target = RootfsPath(pool, container);
        StorageLayout.EnsurePrivate(System.IO.Path.GetDirectoryName(target)!);
        await CopyAsync(imageRootfs, target, cancellationToken).ConfigureAwait(false);
    }

    // Containers are whole copies: the pool keeps no images.
    public Task PruneImagesAsync(StoragePool pool, IReadOnlySet<string> keep, CancellationToken cancellationToken) => Task.CompletedTask;

    // In the default pool the container's directory is its LXC directory too; whoever moves it first moves both.
    public Task RenameAsync(StoragePool pool, string container, string newName, CancellationToken cancellationToken)
    {
        StorageLayout.RenameContainer(pool, container, newName);
        return Task.CompletedTask;
    }

    public Task CreateTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        return Task.CompletedTask;
    }

    public Task DeleteTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken) => ImageStore.RemoveTreeAsync(path);

    public Task CreateFromTreeAsync(StoragePool pool, string tree, string container, bool privileged, CancellationToken cancellationToken)
    {
        var target = RootfsPath(pool, container);
        StorageLayout.EnsurePrivate(System.IO.Path.GetDirectoryName(target)!);
        Directory.Move(tree, target);
        return Task.CompletedTask;
    }

    public async Task DeleteAsync(StoragePool pool, string container, CancellationToken cancellationToken)
    {
        var rootfs = RootfsPath(pool, container);
        await ImageStore.RemoveTreeAsync(rootfs).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(System.IO.Path.Combine(pool.Path, "snapshots", container)).ConfigureAwait(false);

        // Removed only when empty: in the default pool it is also the container's LXC directory, holding its config.
        var holder = System.IO.Path.GetDirectoryName(rootfs)!;
        if (Directory.Exists(holder) && !Directory.EnumerateFileSystemEntries(holder).Any())
        {
            Directory.Delete(holder);
        }
    }

    public async Task CloneAsync(StoragePool pool, string source, string? snapshot, string target, CancellationToken cancellationToken)
    {
        var from = snapshot is null ? RootfsPath(pool, source) : SnapshotPath(pool, source, snapshot);
        var to = RootfsPath(pool, target);
        StorageLayout.EnsurePrivate(System.IO.Path.GetDirectoryName(to)!);
        await CopyAsync(from, to, cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        await CopyAsync(RootfsPath(pool, container), target, cancellationToken).ConfigureAwait(false);
    }

    public async Task RestoreSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var rootfs = RootfsPath(pool, container);
        var restored = rootfs + ".restoring";
        await ImageStore.RemoveTreeAsync(restored).ConfigureAwait(false);
        try
        {
            await CopyAsync(SnapshotPath(pool, container, snapshot), restored, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ImageStore.RemoveTreeAsync(restored).ConfigureAwait(false);
            throw;
        }

        var old = rootfs + ".old";
        Directory.Move(rootfs, old);
        Directory.Move(restored, rootfs);
        await ImageStore.RemoveTreeAsync(old).ConfigureAwait(false);
    }

    public Task ImportSnapshotAsync(StoragePool pool, string container, string snapshot, string tree, CancellationToken cancellationToken)
    {
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(target)!);
        Directory.Move(tree, target);
        return Task.CompletedTask;
    }

    public Task DeleteSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        ImageStore.RemoveTreeAsync(SnapshotPath(pool, container, snapshot));

    public Task SetQuotaAsync(StoragePool pool, string container, long? bytes, CancellationToken cancellationToken) =>
        bytes is null
            ? Task.CompletedTask
            : throw DomainError.Invalid("Disk quotas not supported", $"pool '{pool?.Name}' uses the dir driver, which cannot limit disk use; use a btrfs pool for limits.disk.");

    public Task DestroyAsync(StoragePool pool, CancellationToken cancellationToken) => Task.CompletedTask;

    private static Task CopyAsync(string from, string to, CancellationToken cancellationToken) =>
        CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", from, to], cancellationToken);
}
