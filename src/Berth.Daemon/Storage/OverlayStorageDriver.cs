using System.Text.Json;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Images;
using Berth.Daemon.Native;
using Berth.Daemon.Processes;

namespace Berth.Daemon.Storage;

/// <summary>
/// overlayfs over the cached image: a container is an empty upper directory on top of the image, so creating one
/// costs the same whatever the image size. The image (copied into the pool once, unshifted) is mounted as the
/// lower layer through an idmapped mount for unprivileged containers, so it appears owned by their mapped root;
/// what they write lands in the upper directory with those host ids. Layout under the pool:
/// images/FINGERPRINT, containers/NAME/{lower,upper,work,rootfs,base,layout.json}, snapshots/NAME/SNAPSHOT/{upper,layout.json}.
/// </summary>
public sealed class OverlayStorageDriver(ContainerUserNamespace userNamespace, HostIdMap hostIdMap) : IStorageDriver
{
    public string Name => "overlay";

    public bool CopyOnWrite => true;

    public bool LxcIdmapsRootfs => false;

    public bool SupportsQuotas => false;

    public Task InitialiseAsync(StoragePool pool, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        StorageLayout.EnsureTraversable(pool.Path);
        StorageLayout.EnsureTraversable(Path.Combine(pool.Path, "containers"));
        Directory.CreateDirectory(Path.Combine(pool.Path, "images"));
        Directory.CreateDirectory(Path.Combine(pool.Path, "snapshots"));
        return Task.CompletedTask;
    }

    public string RootfsPath(StoragePool pool, string container) => Path.Combine(ContainerDir(pool, container), "rootfs");

    public string SnapshotPath(StoragePool pool, string container, string snapshot)
    {
        ArgumentNullException.ThrowIfNull(pool);
        return Path.Combine(pool.Path, "snapshots", container, snapshot);
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
            ["-t", "overlay", "overlay", "-o", $"lowerdir={lower},upperdir={Path.Combine(dir, "upper")},workdir={Path.Combine(dir, "work")}", "--", rootfs],
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
        await CreateLayersAsync(pool, target, ReadLayout(from), upperFrom: Path.Combine(from, "upper"), cancellationToken).ConfigureAwait(false);
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
        CreateOwnedDirectory(Path.Combine(dir, "work"), ReadLayout(dir));
    }

    public Task ImportSnapshotAsync(StoragePool pool, string container, string snapshot, string tree, CancellationToken cancellationToken) =>
        throw Api.BerthProblem.BadRequest("Snapshots not importable", $"pool '{pool?.Name}' uses overlayfs, which cannot take snapshots from an archive yet; import into a dir or btrfs pool.");

    public Task DeleteSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken) =>
        ImageStore.RemoveTreeAsync(SnapshotPath(pool, container, snapshot));

    public Task SetQuotaAsync(StoragePool pool, string container, long? bytes, CancellationToken cancellationToken) =>
        bytes is null
            ? Task.CompletedTask
            : throw BerthProblem.BadRequest("Disk quotas not supported", $"pool '{pool?.Name}' uses overlayfs, which cannot limit disk use; use a btrfs pool for limits.disk.");

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
