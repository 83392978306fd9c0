using System.Globalization;
using Berth.Daemon.Api;
using Berth.Daemon.Images;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// btrfs subvolumes: each image is copied into the pool once, and every container, copy and snapshot is a
/// subvolume snapshot of it, so creation takes the same time whatever the image size. Quotas are qgroup limits.
/// Layout under the mount point: images/FINGERPRINT, containers/NAME, snapshots/NAME/SNAPSHOT.
/// </summary>
public sealed class BtrfsStorageDriver : IStorageDriver
{
    // Not nosuid: LXC's idmapped rootfs is a clone of this mount and keeps its flags, so setuid programs (su, sudo)
    // would stop working inside containers; the 0700 areas keep host users away from their setuid files instead.
    private const string LoopMountOptions = "loop,nodev";

    public string Name => "btrfs";

    public bool CopyOnWrite => true;

    public bool LxcIdmapsRootfs => true;

    public bool SupportsQuotas => true;

    public Task PrepareAsync(StoragePool pool, string container, CancellationToken cancellationToken) => Task.CompletedTask;

    public long? HostRootShift(StoragePool pool, string container) => null;

    public async Task InitialiseAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.LoopFile is not null && !Mounts.IsMountPoint(pool.Path))
        {
            StorageLayout.EnsureTraversable(pool.Path);
            await CommandRunner.RunAsync("mount", ["-o", LoopMountOptions, "--", pool.LoopFile, pool.Path], cancellationToken).ConfigureAwait(false);
        }

        var type = Mounts.FileSystemOf(pool.Path);
        if (type != "btrfs")
        {
            throw DomainError.Invalid("Not a btrfs filesystem", $"{pool.Path} is on {type ?? "no known filesystem"}, not btrfs; give a btrfs mount point as source, or a size to let Berth create a loop file.");
        }

        StorageLayout.EnsureTraversable(pool.Path);
        StorageLayout.EnsurePrivate(Path.Combine(pool.Path, "containers"));
        StorageLayout.EnsurePrivate(Path.Combine(pool.Path, "images"));
        StorageLayout.EnsurePrivate(Path.Combine(pool.Path, "snapshots"));

        // Quotas need qgroups; enabling is idempotent.
        await CommandRunner.RunAsync("btrfs", ["quota", "enable", pool.Path], cancellationToken).ConfigureAwait(false);
    }

    public string RootfsPath(StoragePool pool, string container)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Path.Combine(pool.Path, "containers", container);
    }

    public string SnapshotPath(StoragePool pool, string container, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Path.Combine(pool.Path, "snapshots", container, snapshot);
    }

    // Snapshots are whole trees, stored as the container sees them.
    public Task<SnapshotTree> OpenSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        Task.FromResult(new SnapshotTree(SnapshotPath(pool, container, snapshot), null));

    public async Task CreateFromImageAsync(StoragePool pool, string imageRootfs, string imageFingerprint, string container, bool privileged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var image = Path.Combine(pool.Path, "images", imageFingerprint);
        if (!Directory.Exists(image))
        {
            // Once per image and pool: a subvolume holding the image, built aside and renamed into place.
            var staging = image + $".importing-{Guid.NewGuid():N}";
            await Btrfs(cancellationToken, "subvolume", "create", staging).ConfigureAwait(false);
            try
            {
                await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", imageRootfs + "/.", staging], cancellationToken).ConfigureAwait(false);
                await Btrfs(cancellationToken, "property", "set", "-ts", staging, "ro", "true").ConfigureAwait(false);
                Directory.Move(staging, image);
            }
            catch
            {
                await DeleteSubvolumesAsync(pool, (staging, true)).ConfigureAwait(false);
                throw;
            }
        }

        await Btrfs(cancellationToken, "subvolume", "snapshot", image, RootfsPath(pool, container)).ConfigureAwait(false);
    }

    // Containers are snapshots that stand on their own: an image nobody can launch any more can go at once.
    public Task PruneImagesAsync(StoragePool pool, IReadOnlySet<string> keep, CancellationToken cancellationToken) =>
        DeleteSubvolumesAsync(pool, [.. StorageLayout.ImageCopies(pool).Where(i => !keep.Contains(Path.GetFileName(i))).Select(i => (i, true))]);

    // Subvolumes move by rename like directories, within the pool's filesystem.
    public Task RenameAsync(StoragePool pool, string container, string newName, CancellationToken cancellationToken)
    {
        StorageLayout.RenameContainer(pool, container, newName);
        return Task.CompletedTask;
    }

    public Task CreateTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return Btrfs(cancellationToken, "subvolume", "create", path);
    }

    public async Task DeleteTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken)
    {
        if (await IsSubvolumeAsync(path).ConfigureAwait(false))
        {
            await DeleteSubvolumesAsync(pool, (path, false)).ConfigureAwait(false);
        }
        else
        {
            await ImageStore.RemoveTreeAsync(path).ConfigureAwait(false);
        }
    }

    public async Task CreateFromTreeAsync(StoragePool pool, string tree, string container, bool privileged, CancellationToken cancellationToken)
    {
        var target = RootfsPath(pool, container);
        if (await IsSubvolumeAsync(tree).ConfigureAwait(false))
        {
            // Unpacked straight into a subvolume of this pool: taking it over is a rename.
            Directory.Move(tree, target);
            return;
        }

        await Btrfs(cancellationToken, "subvolume", "create", target).ConfigureAwait(false);
        try
        {
            // Within one btrfs filesystem this shares the blocks instead of copying them.
            await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", tree + "/.", target], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await DeleteSubvolumesAsync(pool, (target, false)).ConfigureAwait(false);
            throw;
        }

        await ImageStore.RemoveTreeAsync(tree).ConfigureAwait(false);
    }

    public async Task DeleteAsync(StoragePool pool, string container, CancellationToken cancellationToken)
    {
        var snapshots = Path.Combine(pool.Path, "snapshots", container);
        var subvolumes = Directory.Exists(snapshots) ? Directory.GetDirectories(snapshots).Select(s => (s, true)).ToList() : [];
        subvolumes.Add((RootfsPath(pool, container), false));
        await DeleteSubvolumesAsync(pool, [.. subvolumes]).ConfigureAwait(false);
        if (Directory.Exists(snapshots))
        {
            Directory.Delete(snapshots);
        }
    }

    public Task CloneAsync(StoragePool pool, string source, string? snapshot, string target, CancellationToken cancellationToken)
    {
        var from = snapshot is null ? RootfsPath(pool, source) : SnapshotPath(pool, source, snapshot);
        return Btrfs(cancellationToken, "subvolume", "snapshot", from, RootfsPath(pool, target));
    }

    public Task CreateSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return Btrfs(cancellationToken, "subvolume", "snapshot", "-r", RootfsPath(pool, container), target);
    }

    public async Task RestoreSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var rootfs = RootfsPath(pool, container);
        var restored = rootfs + ".restoring";
        await DeleteSubvolumesAsync(pool, (restored, false)).ConfigureAwait(false);
        await Btrfs(cancellationToken, "subvolume", "snapshot", SnapshotPath(pool, container, snapshot), restored).ConfigureAwait(false);
        var old = rootfs + ".old";
        Directory.Move(rootfs, old);
        Directory.Move(restored, rootfs);
        await DeleteSubvolumesAsync(pool, (old, false)).ConfigureAwait(false);
    }

    public async Task ImportSnapshotAsync(StoragePool pool, string container, string snapshot, string tree, CancellationToken cancellationToken)
    {
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        if (await IsSubvolumeAsync(tree).ConfigureAwait(false))
        {
            Directory.Move(tree, target);
            await Btrfs(cancellationToken, "property", "set", "-ts", target, "ro", "true").ConfigureAwait(false);
            return;
        }

        await Btrfs(cancellationToken, "subvolume", "create", target).ConfigureAwait(false);
        try
        {
            await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", tree + "/.", target], cancellationToken).ConfigureAwait(false);
            await Btrfs(cancellationToken, "property", "set", "-ts", target, "ro", "true").ConfigureAwait(false);
        }
        catch
        {
            await DeleteSubvolumesAsync(pool, (target, true)).ConfigureAwait(false);
            throw;
        }

        await ImageStore.RemoveTreeAsync(tree).ConfigureAwait(false);
    }

    public Task DeleteSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        DeleteSubvolumesAsync(pool, (SnapshotPath(pool, container, snapshot), true));

    public Task SetQuotaAsync(StoragePool pool, string container, long? bytes, CancellationToken cancellationToken) =>
        Btrfs(cancellationToken, "qgroup", "limit", bytes?.ToString(CultureInfo.InvariantCulture) ?? "none", RootfsPath(pool, container));

    public async Task DestroyAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        if (pool.LoopFile is null)
        {
            // An existing filesystem stays; only Berth's directories in it go.
            var images = Path.Combine(pool.Path, "images");
            await DeleteSubvolumesAsync(pool, [.. (Directory.Exists(images) ? Directory.GetDirectories(images) : []).Select(i => (i, true))]).ConfigureAwait(false);
            return;
        }

        if (Mounts.IsMountPoint(pool.Path))
        {
            await CommandRunner.RunAsync("umount", ["--", pool.Path], cancellationToken).ConfigureAwait(false);
        }

        File.Delete(pool.LoopFile);
        Directory.Delete(pool.Path);
    }

    /// <summary>Creates a loop file of <paramref name="bytes"/>, formats it as btrfs and mounts it at <paramref name="mountPoint"/>.</summary>
    public static async Task CreateLoopFileSystemAsync(string loopFile, string mountPoint, long bytes, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(loopFile)!);
        // The loop file is the whole filesystem, every container's files in it: root's alone.
        await using (var file = new FileStream(loopFile, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            file.SetLength(bytes); // sparse: space is taken as it is written
        }

        await CommandRunner.RunAsync("mkfs.btrfs", ["-q", "--", loopFile], cancellationToken).ConfigureAwait(false);
        StorageLayout.EnsureTraversable(mountPoint);
        await CommandRunner.RunAsync("mount", ["-o", LoopMountOptions, "--", loopFile, mountPoint], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes the subvolumes that exist and waits until btrfs has freed their space: its cleaner drops deleted
    /// subvolumes in the background, and a create that failed for want of space is often retried at once.
    /// </summary>
    private static async Task DeleteSubvolumesAsync(StoragePool pool, params (string Path, bool ReadOnly)[] subvolumes)
    {
        List<string> ids = [];
        foreach (var (path, readOnly) in subvolumes)
        {
            if (!Directory.Exists(path))
            {
                continue;
            }

            if (readOnly)
            {
                await CommandRunner.TryRunAsync("btrfs", ["property", "set", "-ts", path, "ro", "false"]).ConfigureAwait(false);
            }

            ids.Add((await CommandRunner.RunAsync("btrfs", ["inspect-internal", "rootid", path]).ConfigureAwait(false)).Stdout.Trim());
            await CommandRunner.RunAsync("btrfs", ["subvolume", "delete", "--commit-after", path]).ConfigureAwait(false);
        }

        if (ids.Count > 0)
        {
            // Bounded: on a busy filesystem the cleaner may take long; the space then comes back a little later.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await CommandRunner.RunAsync("btrfs", ["subvolume", "sync", pool.Path, .. ids], patience.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (patience.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Whether <paramref name="path"/> is the root of a subvolume (btrfs gives every subvolume root inode 256).</summary>
    private static async Task<bool> IsSubvolumeAsync(string path) =>
        Directory.Exists(path) && (await CommandRunner.RunAsync("stat", ["-c", "%i", "--", path]).ConfigureAwait(false)).Stdout.Trim() == "256";

    private static Task Btrfs(CancellationToken cancellationToken, params string[] args) => CommandRunner.RunAsync("btrfs", args, cancellationToken);
}
