using System.Net;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>
/// Copies and imports: new containers from an existing one (or its snapshot) or from an archive. Checked here, then
/// the name is reserved (the store's key decides races) and a new address is leased for each interface; a job does the rest.
/// </summary>
public sealed class ContainerCopyService(
    ContainerStore containers,
    StorageStore storage,
    StoragePools pools,
    NetworkStore networks,
    NetworkService networkService,
    LxcRuntime runtime,
    JobQueue jobs,
    IOptions<BerthOptions> options,
    Images.ImageRegistry images,
    Access.Owners owners,
    NetworkOwners networkOwners,
    Users.IdMapRanges idMaps,
    TimeProvider time)
{
    public const string CopyKind = "container.copy";
    public const string ImportKind = "container.import";

    /// <param name="limits">Limit keys the copy gets instead of its source's, so its quota is checked with its own (a stack's copies of a base).</param>
    public async Task<JobRecord> CopyAsync(string source, CopyRequest request, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? limits = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = (ContainerName.IsValid(source) ? await containers.GetAsync(source, cancellationToken).ConfigureAwait(false) : null)
            ?? throw Containers.ContainerName.NotFound(source);
        if (original.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(source))
        {
            throw DomainError.Conflict("Container busy", $"'{source}' is being created or deleted, or is missing.");
        }

        // Its clone would be as broken as it is.
        if (runtime.GetStatus(source) is ContainerStatus.Error)
        {
            throw DomainError.Conflict("Container unreadable", $"'{source}' cannot be loaded by LXC ({runtime.LoadError(source)}), so a copy of it would not load either; repair what that names so that it loads again, then copy it (or delete it with force).");
        }

        var target = ContainerName.Validate(request.Target);
        if (request.Snapshot is not null && !(await storage.ListSnapshotsAsync(source, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == request.Snapshot))
        {
            throw DomainError.NotFound("Snapshot not found", $"'{source}' has no snapshot named '{request.Snapshot}'.");
        }

        var config = limits is null or { Count: 0 } ? original.Config : ContainerConfig.Apply(original.Config, limits, null, atLaunch: false, new HostCgroups());
        var pool = await pools.PoolOfAsync(source, cancellationToken).ConfigureAwait(false);
        pools.RequireQuotaSupport(pool, config);
        var kept = original.Nics.OrderBy(n => n.Index).Select(n => new Wanted(n.Network.Name, null, Archived: false, ArchivedAddress: false)).ToList();
        var interfaces = await ResolveInterfacesAsync(request.Network, request.Ip, request.Networks, kept, target, null, cancellationToken).ConfigureAwait(false);
        return await ReserveAndSubmitAsync(
            original with { Name = target, Status = ContainerRecordStatus.Creating, CreatedAt = time.GetUtcNow(), Nic = null, Nics = [], Config = config },
            interfaces,
            CopyKind,
            new CopyArgs { Target = target, Source = source, Snapshot = request.Snapshot, Pool = pool.Name },
            cancellationToken).ConfigureAwait(false);
    }

    /// <param name="upload">The archive came as the request body (<see cref="ArchiveUploads"/>): messages never show its transfer path, and the job removes it.</param>
    public async Task<JobRecord> ImportAsync(Access.Caller caller, ImportRequest request, bool upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var file = StorageService.ArchivePath(request.File);
        var shown = upload ? UploadedArchive : file;
        if (!File.Exists(file))
        {
            throw DomainError.Invalid("Archive not found", $"there is no file {file} on the host.");
        }

        var owner = await owners.ForNewAsync(caller, null, cancellationToken).ConfigureAwait(false);
        var pool = await pools.RequireAsync(request.Storage ?? StoragePool.DefaultName, cancellationToken).ConfigureAwait(false);
        var manifest = await ContainerArchive.PeekAsync(file, cancellationToken, shown).ConfigureAwait(false);
        var target = ContainerName.Validate(request.Name ?? manifest.Name);

        // An archive never grants privilege: the caller must ask for it (refused rather than downgraded, as LXD users expect).
        if (manifest.AsksForPrivilege && !request.Privileged)
        {
            throw DomainError.Invalid("Privileged archive", $"{shown} holds a privileged container (root in it is root on the host); to import it as one, set privileged: true in the request.");
        }

        var privileged = manifest.AsksForPrivilege && request.Privileged;
        if (privileged && !caller.IsAdmin)
        {
            throw DomainError.Forbidden("Privileged containers are for admins", $"{shown} holds a privileged container; a member's containers are unprivileged, so only an admin can import it.");
        }

        return await FromManifestAsync(
            caller, owner, manifest, shown, target, privileged, pool, request.Network, request.Ip, request.Networks, request.KeepIdentity, ImportKind,
            new CopyArgs { Target = target, File = file, Pool = pool.Name, KeepIdentity = request.KeepIdentity, Upload = upload }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new container from a backup's manifest (restore --as, or of a container no longer here), through the same
    /// steps as an import: the job restores the tree where the archive would have been unpacked.
    /// </summary>
    public async Task<JobRecord> RestoreBackupAsync(Access.Caller caller, ArchiveManifest manifest, string source, string target, string? network, string? ip, CopyArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(args);
        var owner = await owners.ForNewAsync(caller, null, cancellationToken).ConfigureAwait(false);
        var pool = await pools.RequireAsync(StoragePool.DefaultName, cancellationToken).ConfigureAwait(false);
        return await FromManifestAsync(caller, owner, manifest, source, target, manifest.AsksForPrivilege, pool, network, ip, null, false, Backups.BackupJobKinds.RestoreAs, args with { Pool = pool.Name }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobRecord> FromManifestAsync(
        Access.Caller caller,
        string? owner,
        ArchiveManifest manifest,
        string source,
        string target,
        bool privileged,
        StoragePool pool,
        string? network,
        string? ip,
        IReadOnlyList<NetworkAttachment>? several,
        bool keepIdentity,
        string kind,
        CopyArgs args,
        CancellationToken cancellationToken)
    {
        var config = ContainerConfig.Apply(new Dictionary<string, string>(), manifest.Config, null, atLaunch: true, new HostCgroups());
        // An archive or copy never gives a member a bind mount of a host directory: only an admin chooses those.
        if (!caller.IsAdmin && config.TryGetValue(BindMounts.Key, out var volumes) && volumes.Length > 0)
        {
            throw DomainError.Forbidden("Bind mounts are for admins", $"{source} mounts host directories ({BindMounts.Key}), which only an admin may give a container; ask an admin to copy or import it.");
        }

        if (privileged)
        {
            config[ContainerConfig.SecurityPrivileged] = "true";
        }

        // Archives written before interfaces were recorded join the default network, as they always did.
        var kept = manifest.Nics is null
            ? options.Value.DefaultNetworkIfAny is { } fallback ? [new Wanted(fallback, null, Archived: false, ArchivedAddress: false)] : []
            : manifest.Nics.Select(n => new Wanted(n.Network, keepIdentity ? n.Ipv4 : null, Archived: true, ArchivedAddress: keepIdentity && n.Ipv4 is not null)).ToList();
        var interfaces = await ResolveInterfacesAsync(network, ip, several, kept, target, source, cancellationToken).ConfigureAwait(false);
        foreach (var (joined, _) in interfaces)
        {
            await networkOwners.RequireUsableAsync(caller, joined.Name, cancellationToken).ConfigureAwait(false);
        }

        await idMaps.EnsureForAsync(owner, privileged, pool, pools.DriverOf(pool), cancellationToken).ConfigureAwait(false);
        var record = new ContainerRecord
        {
            Name = target,
            Image = manifest.Image,
            LxcProfile = manifest.LxcProfile ?? images.Find(manifest.Image)?.LxcProfile,
            HaltSignal = manifest.HaltSignal ?? images.Find(manifest.Image)?.HaltSignal,
            Status = ContainerRecordStatus.Creating,
            Privileged = privileged,
            Config = config,
            CreatedAt = time.GetUtcNow(),
            Owner = owner,
        };
        pools.RequireQuotaSupport(pool, record.Config);
        return await ReserveAndSubmitAsync(record, interfaces, kind, args, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How messages name an archive sent as the request body (its transfer path is the daemon's business).</summary>
    public const string UploadedArchive = "the uploaded archive";

    private async Task<JobRecord> ReserveAndSubmitAsync(ContainerRecord record, IReadOnlyList<(NetworkRecord Network, IPAddress? Address)> interfaces, string kind, CopyArgs args, CancellationToken cancellationToken)
    {
        if (runtime.IsDefined(record.Name))
        {
            throw DomainError.Conflict("Name taken", $"a container named '{record.Name}' already exists; choose another name or delete it first.");
        }

        var jobId = JobQueue.NewId();
        if (!await containers.TryInsertAsync(record with { JobId = jobId }, Users.QuotaDemand.ForContainer(Access.Caller.Current, record.Owner, record.Config), cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Name taken", $"a container named '{record.Name}' already exists; choose another name or delete it first.");
        }

        try
        {
            // One fresh lease per interface, in order: eth0 first.
            for (var nic = 0; nic < interfaces.Count; nic++)
            {
                var (network, address) = interfaces[nic];
                if (await networks.TryLeaseAsync(network, record.Name, address, nic, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw address is null
                        ? DomainError.Conflict("Network full", $"network '{network.Name}' has no free address left for '{record.Name}'.")
                        : DomainError.Conflict("Address taken", $"{address} is already used on network '{network.Name}'; leave out ip to get a free one{(args.KeepIdentity ? " (or leave out keepIdentity, which keeps the archived addresses)" : "")}.");
                }
            }

            return await jobs.SubmitAsync(kind, record.Name, args, cancellationToken, jobId).ConfigureAwait(false);
        }
        catch
        {
            await networks.ReleaseAsync(record.Name, CancellationToken.None).ConfigureAwait(false);
            await containers.DeleteAsync(record.Name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The new container's interfaces, in order, as launch's repeated network works: networks gives the whole list;
    /// network (and ip) replaces only the first of the kept ones (the source's, or the archive's), "none" leaves it
    /// with no interface at all; neither keeps them all, each with a fresh address.
    /// </summary>
    private async Task<List<(NetworkRecord Network, IPAddress? Address)>> ResolveInterfacesAsync(
        string? network,
        string? ip,
        IReadOnlyList<NetworkAttachment>? several,
        List<Wanted> kept,
        string target,
        string? archive,
        CancellationToken cancellationToken)
    {
        List<Wanted> wanted;
        if (several is { Count: > 0 })
        {
            if (network is not null || ip is not null)
            {
                throw DomainError.Invalid("Both network and networks", "give either network (and ip) or networks, not both.");
            }

            if (several.Any(a => a?.Name is null or "none"))
            {
                throw DomainError.Invalid("Invalid network in networks", "each entry of networks names a managed network; 'none' is not one (give network: none for no network).");
            }

            wanted = [.. several.Select(a => new Wanted(a.Name, a.Ip, Archived: false, ArchivedAddress: false))];
        }
        else if (network is "none")
        {
            return ip is null ? [] : throw DomainError.Invalid("Address without network", "an address (ip) needs a network to be on; give network too.");
        }
        else
        {
            wanted = kept;
            if ((network ?? ip) is not null)
            {
                var first = network is null && wanted.Count > 0 ? wanted[0] with { Ip = ip, ArchivedAddress = false } : new Wanted(network, ip, Archived: false, ArchivedAddress: false);
                wanted = [first, .. wanted.Skip(1)];
            }
        }

        if (wanted.Count > ArchiveManifest.MaxNics)
        {
            throw DomainError.Invalid("Too many networks", $"a container can be on at most {ArchiveManifest.MaxNics} networks.");
        }

        if (wanted.GroupBy(w => w.Network, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw several is { Count: > 0 }
                ? DomainError.Invalid("Network given twice", $"'{twice.Key}' appears more than once in networks; a container has one interface per network.")
                : DomainError.Invalid("Network given twice", $"'{target}' would have two interfaces on network '{twice.Key}': network replaces only the first interface and the others stay where they are; give networks for the whole list.");
        }

        var resolved = new List<(NetworkRecord Network, IPAddress? Address)>();
        for (var index = 0; index < wanted.Count; index++)
        {
            var (name, address, archived, archivedAddress) = wanted[index];
            if (archived && (name is "none" || !NetworkName.IsValid(name) || await networks.GetAsync(name!, cancellationToken).ConfigureAwait(false) is null))
            {
                throw DomainError.Conflict(
                    "Archived network missing",
                    $"{archive} has interface eth{index} on network '{name}', which this host does not have; choose this host's networks for the import (networks for every interface, or network for the first only), or create network '{name}' first. Nothing was imported.");
            }

            if (archivedAddress)
            {
                // Kept only where it fits: a network of the same name here may have another subnet.
                var (onHost, _) = await networkService.ResolveAttachmentAsync(name, null, null, cancellationToken).ConfigureAwait(false);
                resolved.Add((onHost!, IsUsable(onHost!, address!) ? IPAddress.Parse(address!) : null));
                continue;
            }

            var (record, requested) = await networkService.ResolveAttachmentAsync(name, address, null, cancellationToken).ConfigureAwait(false);
            resolved.Add((record!, requested));
        }

        return resolved;
    }

    private static bool IsUsable(NetworkRecord network, string address)
    {
        var subnet = network.Ipv4;
        if (!IPAddress.TryParse(address, out var parsed) || parsed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !subnet.Contains(parsed))
        {
            return false;
        }

        var offset = subnet.OffsetOf(parsed);
        return offset >= 2 && offset < subnet.Size - 1;
    }

    /// <summary>An interface asked for: its network, the address asked for there, and whether an archive (not the caller) named them.</summary>
    private sealed record Wanted(string? Network, string? Ip, bool Archived, bool ArchivedAddress);
}
