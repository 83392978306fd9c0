using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Containers;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>What the API asks of pools and snapshots: checked here (a problem, nothing changed), then handed to a job.</summary>
public sealed class StorageService(
    StoragePools pools,
    StorageStore store,
    ContainerStore containers,
    LxcRuntime runtime,
    StatePaths paths,
    JobQueue jobs,
    TimeProvider time)
{
    public const long MinimumBtrfsSize = 256L * 1024 * 1024;

    /// <summary>Every pool; a member (<paramref name="caller"/> not an admin) sees counts of their own containers only and no host paths.</summary>
    public async Task<IReadOnlyList<StoragePoolInfo>> ListPoolsAsync(CancellationToken cancellationToken, Access.Caller? caller = null)
    {
        var member = caller is { IsAdmin: false } ? caller : null;
        var placements = await pools.PlacementsAsync(cancellationToken).ConfigureAwait(false);
        var records = (await containers.ListAsync(cancellationToken, owner: member?.Name).ConfigureAwait(false)).Where(r => member is null || member.MayUse(r.Owner)).ToList();
        return [.. (await pools.ListAsync(cancellationToken).ConfigureAwait(false))
            .Select(p => Describe(p, records.Count(r => (placements.TryGetValue(r.Name, out var pool) ? pool : StoragePool.DefaultName) == p.Name)))
            .Select(info => member is null ? info : info with { Path = "", LoopFile = null, DiskUsedBytes = null, DiskTotalBytes = null })];
    }

    public async Task<StoragePoolInfo> GetPoolAsync(string name, CancellationToken cancellationToken, Access.Caller? caller = null) =>
        (await ListPoolsAsync(cancellationToken, caller).ConfigureAwait(false)).FirstOrDefault(p => p.Name == name)
        ?? throw DomainError.NotFound("Storage pool not found", $"there is no storage pool '{name}'; GET /api/v1/storage-pools lists them.");

    public async Task<JobRecord> CreatePoolAsync(StoragePoolCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!ContainerName.IsValid(request.Name))
        {
            throw DomainError.Invalid("Invalid pool name", $"'{request.Name}' is not a valid pool name: use 1-63 lowercase letters, digits and hyphens, starting with a letter.");
        }

        if (!pools.IsKnownDriver(request.Driver ?? ""))
        {
            throw DomainError.Invalid("Unknown storage driver", $"'{request.Driver}' is not a storage driver; use one of: {string.Join(", ", pools.DriverNames.Order())}.");
        }

        if (await pools.FindAsync(request.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw DomainError.Conflict("Pool exists", $"a storage pool named '{request.Name}' already exists.");
        }

        long? size = null;
        if (request.Size is not null)
        {
            if (!ByteSize.TryParse(request.Size, out var bytes))
            {
                throw DomainError.Invalid("Invalid size", $"'{request.Size}' is not a size; write it like 20GiB.");
            }

            if (request.Driver != "btrfs")
            {
                throw DomainError.Invalid("Size needs btrfs", "size creates a btrfs loop file; a dir pool takes none (leave out size).");
            }

            if (bytes < MinimumBtrfsSize)
            {
                throw DomainError.Invalid("Size too small", "a btrfs pool needs at least 256MiB.");
            }

            size = bytes;
        }

        if (request.Driver == "btrfs" && request.Source is null && size is null)
        {
            throw DomainError.Invalid("Source or size needed", "a btrfs pool needs source (an existing btrfs mount point) or size (Berth creates a loop file).");
        }

        if (request.Source is not null && (Hosting.ControlCharacters.Any(request.Source) || !Path.IsPathFullyQualified(request.Source) || !Directory.Exists(request.Source)))
        {
            throw DomainError.Invalid("Invalid source", $"'{request.Source}' is not an existing absolute directory on the host.");
        }

        return await jobs.SubmitAsync(StorageJobKinds.PoolCreate, "storage:" + request.Name, new StorageArgs
        {
            Pool = request.Name,
            Driver = request.Driver,
            Source = request.Source is null ? null : Path.GetFullPath(request.Source),
            SizeBytes = size,
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> DeletePoolAsync(string name, CancellationToken cancellationToken)
    {
        var pool = await GetPoolAsync(name, cancellationToken).ConfigureAwait(false);
        if (pool.Name == StoragePool.DefaultName)
        {
            throw DomainError.Conflict("Default pool", "the default pool cannot be deleted.");
        }

        if (pool.Containers > 0)
        {
            throw DomainError.Conflict("Pool in use", $"{pool.Containers} container(s) are in '{name}'; delete or move them first.");
        }

        return await jobs.SubmitAsync(StorageJobKinds.PoolDelete, "storage:" + name, new StorageArgs { Pool = name }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SnapshotInfo>> ListSnapshotsAsync(string container, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        return [.. (await store.ListSnapshotsAsync(container, cancellationToken).ConfigureAwait(false)).Select(Describe)];
    }

    public async Task<JobRecord> CreateSnapshotAsync(string container, SnapshotCreateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var name = request.Name ?? $"snap-{time.GetUtcNow():yyyyMMdd-HHmmss}";
        if (!ContainerName.IsValid(name))
        {
            throw DomainError.Invalid("Invalid snapshot name", $"'{name}' is not a valid snapshot name: use 1-63 lowercase letters, digits and hyphens, starting with a letter.");
        }

        DateTimeOffset? expires = null;
        if (request.Expiry is not null)
        {
            expires = Durations.TryParse(request.Expiry, out var period)
                ? time.GetUtcNow() + period
                : throw DomainError.Invalid("Invalid expiry", $"'{request.Expiry}' is not a period; write it like 12h, 7d or 2w.");
        }

        if ((await store.ListSnapshotsAsync(container, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == name))
        {
            throw DomainError.Conflict("Snapshot exists", $"'{container}' already has a snapshot named '{name}'.");
        }

        await store.RequireQuotaAsync(Users.QuotaDemand.ForSnapshot(Users.QuotaDemand.IsExempt(Access.Caller.Current), null, container), cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(StorageJobKinds.SnapshotCreate, container, new StorageArgs { Container = container, Snapshot = name, ExpiresAt = expires }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> RestoreSnapshotAsync(string container, string snapshot, SnapshotRestoreRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireSnapshotAsync(container, snapshot, cancellationToken).ConfigureAwait(false);
        if (!request.Stop && runtime.GetStatus(container) is not (ContainerStatus.Stopped))
        {
            throw DomainError.Conflict("Container is running", $"'{container}' is running; stop it first, or restore with stop: true to stop it and start it again after.");
        }

        return await jobs.SubmitAsync(StorageJobKinds.SnapshotRestore, container, new StorageArgs { Container = container, Snapshot = snapshot, Stop = request.Stop }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> DeleteSnapshotAsync(string container, string snapshot, CancellationToken cancellationToken)
    {
        await RequireSnapshotAsync(container, snapshot, cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(StorageJobKinds.SnapshotDelete, container, new StorageArgs { Container = container, Snapshot = snapshot }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> ExportAsync(string container, ExportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        var file = ArchivePath(request.File);
        if (File.Exists(file))
        {
            throw DomainError.Conflict("File exists", $"{file} already exists; choose another file name or remove it first.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(file)))
        {
            throw DomainError.Invalid("No such directory", $"the directory of {file} does not exist on the host.");
        }

        return await jobs.SubmitAsync(StorageJobKinds.Export, container, new StorageArgs { Container = container, File = file, WithSnapshots = request.Snapshots }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An export into <paramref name="file"/>, a transfer the API then sends as the response (no host path from the caller).</summary>
    public async Task<JobRecord> ExportForDownloadAsync(string container, string file, bool snapshots, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(StorageJobKinds.Export, container, new StorageArgs { Container = container, File = file, WithSnapshots = snapshots, Download = true }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Archive paths are absolute host paths; relative ones would depend on the daemon's working directory.</summary>
    public static string ArchivePath(string? file) =>
        file is not null && Path.IsPathFullyQualified(file) && !file.EndsWith('/') && !Hosting.ControlCharacters.Any(file) && file.Length <= 4096
            ? Path.GetFullPath(file)
            : throw DomainError.Invalid("Invalid file", $"'{Hosting.ControlCharacters.Visible(file)}' is not an absolute file path on the daemon's host (without control characters).");

    private async Task RequireContainerAsync(string container, CancellationToken cancellationToken)
    {
        var record = ContainerName.IsValid(container) ? await containers.GetAsync(container, cancellationToken).ConfigureAwait(false) : null;
        if (record is null)
        {
            throw Containers.ContainerName.NotFound(container);
        }

        if (record.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(container))
        {
            throw DomainError.Conflict("Container busy", $"'{container}' is being created or deleted, or is missing; wait for its job (GET /api/v1/jobs).");
        }
    }

    private async Task RequireSnapshotAsync(string container, string snapshot, CancellationToken cancellationToken)
    {
        await RequireContainerAsync(container, cancellationToken).ConfigureAwait(false);
        if (!(await store.ListSnapshotsAsync(container, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == snapshot))
        {
            throw DomainError.NotFound("Snapshot not found", $"'{container}' has no snapshot named '{snapshot}'; GET /api/v1/containers/{container}/snapshots lists them.");
        }
    }

    private StoragePoolInfo Describe(StoragePool pool, int containerCount)
    {
        var path = pool.Name == StoragePool.DefaultName ? paths.LxcPath : pool.Path;
        var disk = PoolDisk.Read(path);
        return new()
        {
            Name = pool.Name,
            Driver = pool.Driver,
            Path = path,
            LoopFile = pool.LoopFile,
            SizeBytes = pool.SizeBytes,
            CopyOnWrite = pools.DriverOf(pool).CopyOnWrite,
            Containers = containerCount,
            DiskUsedBytes = disk?.UsedBytes,
            DiskTotalBytes = disk?.TotalBytes,
            CreatedAt = pool.CreatedAt,
        };
    }

    private static SnapshotInfo Describe(SnapshotRecord s) => new() { Container = s.Container, Name = s.Name, CreatedAt = s.CreatedAt, ExpiresAt = s.ExpiresAt };
}
