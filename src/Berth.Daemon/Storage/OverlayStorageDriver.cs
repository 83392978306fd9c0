using System.Text.Json;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Images;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>
/// overlayfs over the cached image: a container is an empty upper directory on top of the image, so creating one
/// costs the same whatever the image size. The image (copied into the pool once, unshifted) is mounted as the
/// lower layer through an idmapped mount for unprivileged containers, so it appears owned by their mapped root;
/// what they write lands in the upper directory with those host ids. Layout under the pool:
/// images/FINGERPRINT, containers/NAME/{lower,upper,work,rootfs,base,layout.json}, snapshots/NAME/SNAPSHOT/{upper,layout.json}
/// (plus base/ for a snapshot imported whole),
/// views/ID/{lower,rootfs} (a snapshot mounted whole while it is read).
/// </summary>
public sealed class OverlayStorageDriver(ContainerUserNamespace userNamespace, HostIdMap hostIdMap) : IStorageDriver
{
    public string Name => "overlay";

    public bool CopyOnWrite => true;

    public bool LxcIdmapsRootfs => false;

    public bool SupportsQuotas => false;

    public async Task InitialiseAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        StorageLayout.EnsureTraversable(pool.Path);

        // The container's mapped root opens its mounted rootfs by path (no idmapped rootfs here): its group may pass.
        StorageLayout.EnsureReachableByContainerRoots(Path.Combine(pool.Path, "containers"), hostIdMap.Map?.GidBase);
        StorageLayout.EnsurePrivate(Path.Combine(pool.Path, "images"));
        StorageLayout.EnsurePrivate(Path.Combine(pool.Path, "snapshots"));

        // Views a stopped daemon left open.
        var views = Path.Combine(pool.Path, "views");
        StorageLayout.EnsurePrivate(views);
        foreach (var view in Directory.Exists(views) ? Directory.GetDirectories(views) : [])
        {
            await CloseViewAsync(view).ConfigureAwait(false);
        }
    }

    public string RootfsPath(StoragePool pool, string container) => Path.Combine(ContainerDir(pool, container), "rootfs");

    public string SnapshotPath(StoragePool pool, string container, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Path.Combine(pool.Path, "snapshots", container, snapshot);
    }

    /// <summary>
    /// Mounts the snapshot whole, read-only: its upper directory stacked on its lower layer (idmapped like the
    /// container's, so the tree is uniformly shifted), under views/ID until disposed.
    /// </summary>
    public async Task<SnapshotTree> OpenSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var snapshotDir = SnapshotPath(pool, container, snapshot);
        var layout = ReadLayout(snapshotDir);
        var view = Path.Combine(pool!.Path, "views", Guid.NewGuid().ToString("N"));
        var root = Path.Combine(view, "rootfs");
        Directory.CreateDirectory(root);
        try
        {
            var lower = layout.Lower;
            if (layout.Idmapped)
            {
                lower = Path.Combine(view, "lower");
                Directory.CreateDirectory(lower);
                IdmappedMount.Create(layout.Lower, lower, await userNamespace.GetAsync(cancellationToken).ConfigureAwait(false));
            }

            await CommandRunner.RunAsync(
                "mount",
                ["-t", "overlay", "overlay", "-o", $"ro,nosuid,nodev,lowerdir={Path.Combine(snapshotDir, "upper")}:{lower}", "--", root],
                cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await CloseViewAsync(view).ConfigureAwait(false);
            throw;
        }

        return new SnapshotTree(root, layout.Idmapped ? hostIdMap.Map?.UidBase : null, () => CloseViewAsync(view));
    }

    public long? HostRootShift(StoragePool pool, string container) =>
        ReadLayout(ContainerDir(pool, container)).Idmapped ? hostIdMap.Map?.UidBase : null;

    public async Task CreateFromImageAsync(StoragePool pool, string imageRootfs, string imageFingerprint, string container, bool privileged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var image = Path.Combine(pool.Path, "images", imageFingerprint);
        if (!Directory.Exists(image))
        {
            // Once per image and pool, so rebuilding or removing the shared image cache never pulls a layer from under a container.
            var staging = image + $".importing-{Guid.NewGuid():N}";
            try
            {
                await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", imageRootfs, staging], cancellationToken).ConfigureAwait(false);
                Directory.Move(staging, image);
            }
            catch
            {
                await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
                throw;
            }
        }

        await CreateLayersAsync(pool, container, new OverlayLayout(image, !privileged), upperFrom: null, cancellationToken).ConfigureAwait(false);
    }

    // An image is the lower layer of the containers made from it: it goes with the last one.
    public async Task PruneImagesAsync(StoragePool pool, IReadOnlySet<string> keep, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keep);
        // Only the layout files themselves: a container's directory also holds its mounted root filesystem.
        var dirs = Directory.GetDirectories(Path.Combine(pool.Path, "containers"))
            .Concat(Directory.GetDirectories(Path.Combine(pool.Path, "snapshots")).SelectMany(Directory.GetDirectories));
        var used = dirs.Where(d => File.Exists(Path.Combine(d, "layout.json"))).Select(d => ReadLayout(d).Lower).ToHashSet(StringComparer.Ordinal);
        foreach (var image in StorageLayout.ImageCopies(pool).Where(i => !keep.Contains(Path.GetFileName(i)) && !used.Contains(i)))
        {
            await ImageStore.RemoveTreeAsync(image).ConfigureAwait(false);
        }
    }

    /// <summary>Unmounts, moves the container's and its snapshots' directories, and points layers of their own at the new place.</summary>
    public async Task RenameAsync(StoragePool pool, string container, string newName, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        await UnmountAsync(dir).ConfigureAwait(false);
        var (oldDir, oldSnapshots) = (dir + "/", SnapshotsDir(pool, container));
        var (newDir, newSnapshots) = (ContainerDir(pool, newName) + "/", SnapshotsDir(pool, newName));
        Directory.Move(dir, ContainerDir(pool, newName));
        if (Directory.Exists(oldSnapshots))
        {
            Directory.Move(oldSnapshots.TrimEnd('/'), newSnapshots.TrimEnd('/'));
        }

        string Moved(string path) =>
            path.StartsWith(oldDir, StringComparison.Ordinal) ? newDir + path[oldDir.Length..]
            : path.StartsWith(oldSnapshots, StringComparison.Ordinal) ? newSnapshots + path[oldSnapshots.Length..]
            : path;
        var layouts = Directory.Exists(newSnapshots) ? Directory.GetDirectories(newSnapshots).Append(newDir.TrimEnd('/')) : [newDir.TrimEnd('/')];
        foreach (var layoutDir in layouts.Where(d => File.Exists(Path.Combine(d, "layout.json"))))
        {
            var layout = ReadLayout(layoutDir);
            if (Moved(layout.Lower) != layout.Lower)
            {
                await File.WriteAllTextAsync(Path.Combine(layoutDir, "layout.json"), JsonSerializer.Serialize(layout with { Lower = Moved(layout.Lower) }), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task CreateTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(path);
        return Task.CompletedTask;
    }

    public Task DeleteTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken) => ImageStore.RemoveTreeAsync(path);

    public async Task CreateFromTreeAsync(StoragePool pool, string tree, string container, bool privileged, CancellationToken cancellationToken)
    {
        // An imported tree becomes the container's own lower layer.
        var dir = ContainerDir(pool, container);
        StorageLayout.EnsureTraversable(dir);
        var baseDir = Path.Combine(dir, "base");
        Directory.Move(tree, baseDir);
        await CreateLayersAsync(pool, container, new OverlayLayout(baseDir, !privileged), upperFrom: null, cancellationToken).ConfigureAwait(false);
    }

    public async Task PrepareAsync(StoragePool pool, string container, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        var rootfs = Path.Combine(dir, "rootfs");
        if (Mounts.IsMountPoint(rootfs))
        {
            return;
        }

        var layout = ReadLayout(dir);
        var lower = layout.Lower;
        if (layout.Idmapped)
        {
            lower = Path.Combine(dir, "lower");
            if (!Mounts.IsMountPoint(lower))
            {
                Directory.CreateDirectory(lower);
                IdmappedMount.Create(layout.Lower, lower, await userNamespace.GetAsync(cancellationToken).ConfigureAwait(false));
            }
        }

        Directory.CreateDirectory(rootfs);
        await CommandRunner.RunAsync(
            "mount",
            ["-t", "overlay", "overlay", "-o", $"nodev,lowerdir={lower},upperdir={Path.Combine(dir, "upper")},workdir={Path.Combine(dir, "work")}", "--", rootfs],
            cancellationToken).ConfigureAwait(false);
    }

    public async Task DeleteAsync(StoragePool pool, string container, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        await UnmountAsync(dir).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(dir).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(Path.Combine(pool.Path, "snapshots", container)).ConfigureAwait(false);
    }

    public async Task CloneAsync(StoragePool pool, string source, string? snapshot, string target, CancellationToken cancellationToken)
    {
        var from = snapshot is null ? ContainerDir(pool, source) : SnapshotPath(pool, source, snapshot);
        var layout = ReadLayout(from);

        // A lower layer of the source's own (an imported tree) goes when the source goes: the copy takes its own.
        if (OwnsLower(pool, source, layout))
        {
            var targetDir = ContainerDir(pool, target);
            StorageLayout.EnsureTraversable(targetDir);
            layout = layout with { Lower = await CopyLowerAsync(layout.Lower, targetDir, cancellationToken).ConfigureAwait(false) };
        }

        await CreateLayersAsync(pool, target, layout, upperFrom: Path.Combine(from, "upper"), cancellationToken).ConfigureAwait(false);
    }

    public async Task CreateSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(target);
        File.Copy(Path.Combine(dir, "layout.json"), Path.Combine(target, "layout.json"));
        await CommandRunner.RunAsync("cp", ["-a", "--", Path.Combine(dir, "upper"), Path.Combine(target, "upper")], cancellationToken).ConfigureAwait(false);
    }

    public async Task RestoreSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        await UnmountAsync(dir).ConfigureAwait(false);
        var upper = Path.Combine(dir, "upper");
        var restored = upper + ".restoring";
        await ImageStore.RemoveTreeAsync(restored).ConfigureAwait(false);
        try
        {
            await CommandRunner.RunAsync("cp", ["-a", "--", Path.Combine(SnapshotPath(pool, container, snapshot), "upper"), restored], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ImageStore.RemoveTreeAsync(restored).ConfigureAwait(false);
            throw;
        }

        await ImageStore.RemoveTreeAsync(upper).ConfigureAwait(false);
        Directory.Move(restored, upper);
        await ImageStore.RemoveTreeAsync(Path.Combine(dir, "work")).ConfigureAwait(false);
        var layout = ReadLayout(dir);
        CreateOwnedDirectory(Path.Combine(dir, "work"), layout);

        // A snapshot imported whole has a lower layer of its own: the container takes a copy, and lets go of its old
        // one when no other snapshot stands on it.
        var wanted = ReadLayout(SnapshotPath(pool, container, snapshot)).Lower;
        if (wanted != layout.Lower)
        {
            var lower = wanted.StartsWith(SnapshotsDir(pool, container), StringComparison.Ordinal)
                ? await CopyLowerAsync(wanted, dir, cancellationToken).ConfigureAwait(false)
                : wanted;
            await File.WriteAllTextAsync(Path.Combine(dir, "layout.json"), JsonSerializer.Serialize(layout with { Lower = lower }), cancellationToken).ConfigureAwait(false);
            var snapshotLowers = Directory.GetDirectories(SnapshotsDir(pool, container)).Select(s => ReadLayout(s).Lower);
            if (OwnsLower(pool, container, layout) && !snapshotLowers.Contains(layout.Lower))
            {
                await ImageStore.RemoveTreeAsync(layout.Lower).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A snapshot imported whole: its tree is its own lower layer, with an empty upper directory on it.</summary>
    public async Task ImportSnapshotAsync(StoragePool pool, string container, string snapshot, string tree, CancellationToken cancellationToken)
    {
        var target = SnapshotPath(pool, container, snapshot);
        Directory.CreateDirectory(target);
        var baseDir = Path.Combine(target, "base");
        Directory.Move(tree, baseDir);
        var layout = ReadLayout(ContainerDir(pool, container)) with { Lower = baseDir };
        await File.WriteAllTextAsync(Path.Combine(target, "layout.json"), JsonSerializer.Serialize(layout), cancellationToken).ConfigureAwait(false);
        CreateOwnedDirectory(Path.Combine(target, "upper"), layout);
    }

    public Task DeleteSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        ImageStore.RemoveTreeAsync(SnapshotPath(pool, container, snapshot));

    public Task SetQuotaAsync(StoragePool pool, string container, long? bytes, CancellationToken cancellationToken) =>
        bytes is null
            ? Task.CompletedTask
            : throw DomainError.Invalid("Disk quotas not supported", $"pool '{pool?.Name}' uses overlayfs, which cannot limit disk use; use a btrfs pool for limits.disk.");

    public Task DestroyAsync(StoragePool pool, CancellationToken cancellationToken) =>
        ImageStore.RemoveTreeAsync(Path.Combine(pool.Path, "images"));

    private async Task CreateLayersAsync(StoragePool pool, string container, OverlayLayout layout, string? upperFrom, CancellationToken cancellationToken)
    {
        var dir = ContainerDir(pool, container);
        StorageLayout.EnsureTraversable(dir);
        await File.WriteAllTextAsync(Path.Combine(dir, "layout.json"), JsonSerializer.Serialize(layout), cancellationToken).ConfigureAwait(false);
        if (upperFrom is null)
        {
            CreateOwnedDirectory(Path.Combine(dir, "upper"), layout);
        }
        else
        {
            await CommandRunner.RunAsync("cp", ["-a", "--", upperFrom, Path.Combine(dir, "upper")], cancellationToken).ConfigureAwait(false);
        }

        CreateOwnedDirectory(Path.Combine(dir, "work"), layout);
    }

    /// <summary>Upper and work directories belong to the container's root as the host sees it.</summary>
    private void CreateOwnedDirectory(string path, OverlayLayout layout)
    {
        Directory.CreateDirectory(path);
        if (layout.Idmapped && hostIdMap.Map is { } map)
        {
            File.SetUnixFileMode(path, StorageLayout.Traversable | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Chown(path, map.UidBase, map.GidBase);
        }
    }

    private static void Chown(string path, long uid, long gid)
    {
        if (LibcOwnership.lchown(path, (uint)uid, (uint)gid) != 0)
        {
            throw new IOException($"cannot give {path} to the container's root");
        }
    }

    /// <summary>Whether the lower layer is the container's own (an imported tree, in its directory or one of its snapshots'), not a shared image.</summary>
    private static bool OwnsLower(StoragePool pool, string container, OverlayLayout layout) =>
        layout.Lower.StartsWith(ContainerDir(pool, container) + "/", StringComparison.Ordinal)
        || layout.Lower.StartsWith(SnapshotsDir(pool, container), StringComparison.Ordinal);

    /// <summary>Copies a lower layer into <paramref name="dir"/> under a new name (copy-on-write where the filesystem allows).</summary>
    private static async Task<string> CopyLowerAsync(string lower, string dir, CancellationToken cancellationToken)
    {
        var copy = Path.Combine(dir, $"base-{Guid.NewGuid():N}"[..17]);
        await CommandRunner.RunAsync("cp", ["-a", "--reflink=auto", "--", lower, copy], cancellationToken).ConfigureAwait(false);
        return copy;
    }

    private static string SnapshotsDir(StoragePool pool, string container) => Path.Combine(pool.Path, "snapshots", container) + "/";

    private static async Task CloseViewAsync(string view)
    {
        await UnmountAsync(view).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(view).ConfigureAwait(false);
    }

    private static async Task UnmountAsync(string dir)
    {
        foreach (var mountPoint in new[] { Path.Combine(dir, "rootfs"), Path.Combine(dir, "lower") })
        {
            if (Mounts.IsMountPoint(mountPoint))
            {
                await CommandRunner.RunAsync("umount", ["--", mountPoint]).ConfigureAwait(false);
            }
        }
    }

    private static string ContainerDir(StoragePool pool, string container)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Path.Combine(pool.Path, "containers", container);
    }

    private static OverlayLayout ReadLayout(string dir) =>
        JsonSerializer.Deserialize<OverlayLayout>(File.ReadAllText(Path.Combine(dir, "layout.json")))
        ?? throw new IOException($"{dir}/layout.json is unreadable");
}
