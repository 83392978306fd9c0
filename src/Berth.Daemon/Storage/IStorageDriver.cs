namespace Berth.Daemon.Storage;

/// <summary>
/// A way of storing container root filesystems: plain directories, or btrfs subvolumes where creating, copying and
/// snapshotting are copy-on-write and cost the same for a 30 MB and a 1 GB filesystem.
/// </summary>
public interface IStorageDriver
{
    string Name { get; }

    /// <summary>Whether copies and snapshots share blocks until written.</summary>
    bool CopyOnWrite { get; }

    /// <summary>
    /// Whether LXC should idmap the root filesystem of an unprivileged container (lxc.rootfs.options = idmap=container);
    /// false when the driver's own mounts already present it shifted.
    /// </summary>
    bool LxcIdmapsRootfs { get; }

    /// <summary>Whether the pool can limit a container's disk use (limits.disk).</summary>
    bool SupportsQuotas { get; }

    /// <summary>Makes the pool ready: its directories, and for a loop-backed pool the mount.</summary>
    Task InitialiseAsync(StoragePool pool, CancellationToken cancellationToken);

    /// <summary>Where a container's root filesystem is in this pool.</summary>
    string RootfsPath(StoragePool pool, string container);

    Task CreateFromImageAsync(StoragePool pool, string imageRootfs, string imageFingerprint, string container, bool privileged, CancellationToken cancellationToken);

    /// <summary>
    /// Makes an empty directory at <paramref name="path"/> (inside the pool) for a tree that <see cref="CreateFromTreeAsync"/>
    /// or <see cref="ImportSnapshotAsync"/> will take over: a subvolume on btrfs, so taking it over is a rename.
    /// </summary>
    Task CreateTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken);

    /// <summary>Removes a tree made with <see cref="CreateTreeAsync"/> that was not taken over.</summary>
    Task DeleteTreeAsync(StoragePool pool, string path, CancellationToken cancellationToken);

    /// <summary>Creates a container whose root filesystem is the (unshifted) tree at <paramref name="tree"/>, which the driver takes over.</summary>
    Task CreateFromTreeAsync(StoragePool pool, string tree, string container, bool privileged, CancellationToken cancellationToken);

    /// <summary>Makes the root filesystem ready to start from (mounts it where the driver needs mounts; after a host boot too).</summary>
    Task PrepareAsync(StoragePool pool, string container, CancellationToken cancellationToken);

    /// <summary>
    /// The host id that container root has in the stored files (files are stored shifted), or null when they are stored
    /// as the container sees them; files Berth writes into the root filesystem and archives must shift by it.
    /// </summary>
    long? HostRootShift(StoragePool pool, string container);

    Task DeleteAsync(StoragePool pool, string container, CancellationToken cancellationToken);

    /// <summary>Moves a stopped container's root filesystem and snapshots to <paramref name="newName"/> (renames, no copies).</summary>
    Task RenameAsync(StoragePool pool, string container, string newName, CancellationToken cancellationToken);

    /// <summary>Copies <paramref name="source"/> (or its snapshot <paramref name="snapshot"/>) to a new container in the same pool.</summary>
    Task CloneAsync(StoragePool pool, string source, string? snapshot, string target, CancellationToken cancellationToken);

    string SnapshotPath(StoragePool pool, string container, string snapshot);

    /// <summary>Opens the snapshot's whole root filesystem for reading (exports, publishing); dispose to close it.</summary>
    Task<SnapshotTree> OpenSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken);

    Task CreateSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken);

    /// <summary>Replaces the container's root filesystem with the snapshot's content; the snapshot stays.</summary>
    Task RestoreSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken);

    Task DeleteSnapshotAsync(StoragePool pool, string container, string snapshot, CancellationToken cancellationToken);

    /// <summary>Makes the (unshifted) tree at <paramref name="tree"/> a snapshot of the container (an imported one); the driver takes the tree over.</summary>
    Task ImportSnapshotAsync(StoragePool pool, string container, string snapshot, string tree, CancellationToken cancellationToken);

    /// <summary>Limits the container's disk use (null lifts the limit); drivers without quotas refuse.</summary>
    Task SetQuotaAsync(StoragePool pool, string container, long? bytes, CancellationToken cancellationToken);

    /// <summary>
    /// Removes the pool's copies of images whose fingerprints are not in <paramref name="keep"/> (deleted images) and
    /// that no container or snapshot stands on any more.
    /// </summary>
    Task PruneImagesAsync(StoragePool pool, IReadOnlySet<string> keep, CancellationToken cancellationToken);

    /// <summary>Removes the pool's own data (loop mount and file for loop-backed pools).</summary>
    Task DestroyAsync(StoragePool pool, CancellationToken cancellationToken);
}
