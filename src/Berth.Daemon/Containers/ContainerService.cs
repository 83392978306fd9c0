using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Images;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Containers;

/// <summary>
/// What the API asks of containers: reads answer at once from the store and LXC; changes are checked here
/// (refused with a problem, changing nothing) and then handed to a job.
/// </summary>
public sealed class ContainerService(
    ContainerStore containers,
    JobQueue jobs,
    LxcRuntime runtime,
    LxcConfigRenderer renderer,
    HostCgroups cgroups,
    NetworkService networkService,
    NetworkStore networkStore,
    ForwardStore forwardStore,
    Microsoft.Extensions.Options.IOptions<BerthOptions> options,
    Storage.StoragePools pools,
    ImageRegistry images,
    Access.Owners owners,
    NetworkOwners networkOwners,
    Users.IdMapRanges idMaps,
    Backups.BackupMarks backupMarks,
    TimeProvider time,
    Health.HealthStates health)
{
    /// <summary>The containers <paramref name="caller"/> may see: all for admins (and those Berth does not manage), a member's own otherwise.</summary>
    public async Task<IReadOnlyList<ContainerInfo>> ListAsync(Access.Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var records = (await containers.ListAsync(cancellationToken, owner: caller.IsAdmin ? null : caller.Name).ConfigureAwait(false)).Where(r => caller.MayUse(r.Owner)).ToList();
        var known = records.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var result = new ContainerInfo[records.Count];
        Parallel.For(0, records.Count, new ParallelOptions { CancellationToken = cancellationToken }, i => result[i] = Describe(records[i], withUsage: false));
        var lastBackups = await backupMarks.AllAsync(Backups.BackupMarks.ContainerKind, cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = result[i] with { LastBackup = Backups.BackupMarks.For(result[i], lastBackups.GetValueOrDefault(result[i].Name)) };
        }

        var unmanaged = caller.IsAdmin ? runtime.ListDefined().Where(n => !known.Contains(n)).Select(DescribeUnmanaged) : [];
        return [.. result, .. unmanaged];
    }

    public async Task<ContainerInfo> GetAsync(Access.Caller caller, string name, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var record = await containers.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (record is not null && caller.MayUse(record.Owner))
        {
            var info = Describe(record, withUsage: true);
            return info with { LastBackup = Backups.BackupMarks.For(info, await backupMarks.OfAsync(Backups.BackupMarks.ContainerKind, name, cancellationToken).ConfigureAwait(false)) };
        }

        return record is null && caller.IsAdmin && ContainerName.IsValid(name) && runtime.IsDefined(name) ? DescribeUnmanaged(name) : throw Containers.ContainerName.NotFound(name);
    }

    public async Task<ContainerConfigInfo> GetConfigAsync(string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        return new ContainerConfigInfo
        {
            Name = record.Name,
            Config = record.Config,
            Effective = ContainerConfig.Effective(record.Config),
            LxcConfig = renderer.Render(record),
        };
    }

    public async Task<JobRecord> LaunchAsync(Access.Caller caller, LaunchRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var name = ContainerName.Validate(request.Name);
        var owner = await owners.ForNewAsync(caller, request.Owner, cancellationToken).ConfigureAwait(false);
        var image = images.Require(request.Image, caller);

        var config = ContainerConfig.Apply(new Dictionary<string, string>(), request.Config, null, atLaunch: true, cgroups);
        RequireAllowed(caller, config, new Dictionary<string, string>());
        var pool = await pools.RequireAsync(request.Storage ?? Storage.StoragePool.DefaultName, cancellationToken).ConfigureAwait(false);
        pools.RequireQuotaSupport(pool, config);
        await idMaps.EnsureForAsync(owner, ContainerConfig.IsTrue(config, ContainerConfig.SecurityPrivileged), pool, pools.DriverOf(pool), cancellationToken).ConfigureAwait(false);
        var attachments = await ResolveNetworksAsync(request, cancellationToken).ConfigureAwait(false);
        foreach (var (network, _) in attachments)
        {
            await networkOwners.RequireUsableAsync(caller, network.Name, cancellationToken).ConfigureAwait(false);
        }

        if (runtime.IsDefined(name))
        {
            throw DomainError.Conflict("Name taken", $"a container named '{name}' already exists; choose another name or delete it first.");
        }

        var jobId = JobQueue.NewId();
        var record = new ContainerRecord
        {
            Name = name,
            Image = request.Image,
            LxcProfile = image.LxcProfile,
            HaltSignal = image.HaltSignal,
            Status = ContainerRecordStatus.Creating,
            Privileged = ContainerConfig.IsTrue(config, ContainerConfig.SecurityPrivileged),
            Config = config,
            CreatedAt = time.GetUtcNow(),
            JobId = jobId,
            Owner = owner,
        };
        if (!await containers.TryInsertAsync(record, Users.QuotaDemand.ForContainer(caller, owner, config), cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Name taken", $"a container named '{name}' already exists; choose another name or delete it first.");
        }

        try
        {
            for (var nic = 0; nic < attachments.Count; nic++)
            {
                var (network, address) = attachments[nic];
                if (await networkStore.TryLeaseAsync(network, name, address, nic, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw address is null
                        ? DomainError.Conflict("Network full", $"network '{network.Name}' ({network.Subnet}) has no free address left.")
                        : DomainError.Conflict("Address taken", $"{address} is already used on network '{network.Name}'; leave out ip to get a free one.");
                }
            }

            return await jobs.SubmitAsync(JobKinds.Launch, name, new LaunchArgs(name, request.Image, request.Start, pool.Name), cancellationToken, jobId).ConfigureAwait(false);
        }
        catch
        {
            await containers.DeleteAsync(name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<JobRecord> ChangeStateAsync(string name, StateChangeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await RequireReadyAsync(name, cancellationToken).ConfigureAwait(false);
        if (request.Timeout is < 0 or > 3600)
        {
            throw DomainError.Invalid("Invalid timeout", "timeout must be between 0 and 3600 seconds.");
        }

        var status = runtime.GetStatus(record.Name);
        var kind = request.Action switch
        {
            "start" => JobKinds.Start,
            "stop" => JobKinds.Stop,
            "restart" => JobKinds.Restart,
            "freeze" => JobKinds.Freeze,
            "unfreeze" => JobKinds.Unfreeze,
            _ => throw DomainError.Invalid("Unknown action", $"'{request.Action}' is not an action; use start, stop, restart, freeze or unfreeze."),
        };
        switch (kind)
        {
            case JobKinds.Start:
                ContainerStates.RequireStartable(name, status);
                break;
            case JobKinds.Stop:
                ContainerStates.RequireStoppable(name, status);
                break;
            case JobKinds.Freeze:
                ContainerStates.Require(name, status, ContainerStatus.Running, "freeze");
                break;
            case JobKinds.Unfreeze:
                ContainerStates.Require(name, status, ContainerStatus.Frozen, "unfreeze");
                break;
            default:
                break;
        }

        return await jobs.SubmitAsync(kind, record.Name, new StateArgs(record.Name, request.Force, request.Timeout), cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> DeleteAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        var status = runtime.GetStatus(record.Name);
        if (!force && status is ContainerStatus.Error)
        {
            throw DomainError.Conflict("Container unreadable", $"'{name}' cannot be loaded by LXC ({runtime.LoadError(name)}); delete it with force to remove it anyway.");
        }

        if (!force && status is not (ContainerStatus.Stopped or ContainerStatus.Missing))
        {
            throw ContainerStates.RunningRefusal(name, "delete");
        }

        var jobId = JobQueue.NewId();
        if (!await containers.TryClaimAsync(record.Name, ContainerRecordStatus.Deleting, jobId, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Container busy", $"'{name}' is being created or deleted by another job; wait for it (GET /api/v1/jobs).");
        }

        return await jobs.SubmitAsync(JobKinds.Delete, record.Name, new StateArgs(record.Name, force, null), cancellationToken, jobId).ConfigureAwait(false);
    }

    /// <summary>Renames a stopped container: its files, snapshots, address lease, forwards and host name follow.</summary>
    public async Task<JobRecord> RenameAsync(string name, RenameRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await RequireReadyAsync(name, cancellationToken).ConfigureAwait(false);
        var target = ContainerName.Validate(request.Name);
        if (runtime.GetStatus(record.Name) is not (ContainerStatus.Stopped))
        {
            throw ContainerStates.RunningRefusal(name, "rename");
        }

        if (target == record.Name || runtime.IsDefined(target) || await containers.GetAsync(target, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw DomainError.Conflict("Name taken", $"a container named '{target}' already exists; choose another name.");
        }

        var jobId = JobQueue.NewId();
        if (!await containers.TryClaimAsync(record.Name, ContainerRecordStatus.Renaming, jobId, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Container busy", $"'{name}' is being changed by another job; wait for it (GET /api/v1/jobs).");
        }

        return await jobs.SubmitAsync(JobKinds.Rename, record.Name, new RenameArgs(record.Name, target), cancellationToken, jobId).ConfigureAwait(false);
    }

    public async Task<JobRecord> UpdateConfigAsync(Access.Caller caller, string name, ConfigUpdateRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        var record = await RequireReadyAsync(name, cancellationToken).ConfigureAwait(false);
        if (request.Set.Count == 0 && request.Unset.Count == 0)
        {
            throw DomainError.Invalid("Nothing to change", "give at least one key to set or unset, e.g. limits.memory=256MiB.");
        }

        OwnerChange? ownerChange = null;
        if (request.Set.TryGetValue(OwnerKey, out var newOwner) || request.Unset.Contains(OwnerKey))
        {
            if (!caller.IsAdmin)
            {
                throw DomainError.Forbidden("Only admins transfer containers", $"'{name}' can be given to another user by an admin only.");
            }

            ownerChange = new OwnerChange(newOwner is null ? null : await owners.RequireUserAsync(newOwner, cancellationToken).ConfigureAwait(false));
            await RequireTransferableAsync(record, ownerChange.To, cancellationToken).ConfigureAwait(false);
            request = request with
            {
                Set = request.Set.Where(p => p.Key != OwnerKey).ToDictionary(),
                Unset = [.. request.Unset.Where(k => k != OwnerKey)],
            };
        }

        if ((request.Set.ContainsKey(NetworkKey) || request.Set.ContainsKey(IpKey)) && ownerChange is null)
        {
            if (request.Set.TryGetValue(NetworkKey, out var target) && target is not ("none" or ""))
            {
                await networkOwners.RequireUsableAsync(caller, target, cancellationToken).ConfigureAwait(false);
            }

            return await ChangeNetworkAsync(record, request, cancellationToken).ConfigureAwait(false);
        }

        var config = ContainerConfig.Apply(record.Config, request.Set, request.Unset, atLaunch: false, cgroups);
        RequireAllowed(caller, config, record.Config);
        pools.RequireQuotaSupport(await pools.PoolOfAsync(record.Name, cancellationToken).ConfigureAwait(false), config);
        await containers.RequireQuotaAsync(Users.QuotaDemand.ForConfigChange(Users.QuotaDemand.IsExempt(caller), null, record.Name, record.Owner, record.Config, config), cancellationToken).ConfigureAwait(false);
        return await jobs.SubmitAsync(JobKinds.Config, record.Name, new ConfigArgs(record.Name, config, ownerChange), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A new owner may mean another id map: only a stopped container moves to it (its files are stored unshifted and
    /// LXC maps them at the next start), and the new owner gets a block of their own first if they need one.
    /// </summary>
    private async Task RequireTransferableAsync(ContainerRecord record, string? to, CancellationToken cancellationToken)
    {
        var pool = await pools.PoolOfAsync(record.Name, cancellationToken).ConfigureAwait(false);
        await idMaps.EnsureForAsync(to, record.Privileged, pool, pools.DriverOf(pool), cancellationToken).ConfigureAwait(false);
        if (!record.Privileged && idMaps.MapFor(to) != idMaps.MapFor(record.Owner) && runtime.GetStatus(record.Name) is not ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container is running", $"'{record.Name}' is running with its owner's host ids; stop it before giving it to another owner, whose containers run with their own.");
        }
    }

    /// <summary>Members run unprivileged containers only (a privileged container's root is the host's root), and never choose host directories to mount.</summary>
    private static void RequireAllowed(Access.Caller caller, IReadOnlyDictionary<string, string> config, IReadOnlyDictionary<string, string> before)
    {
        if (!caller.IsAdmin && ContainerConfig.IsTrue(config, ContainerConfig.SecurityPrivileged))
        {
            throw DomainError.Forbidden("Privileged containers are for admins", "a member's containers are unprivileged; leave out security.privileged (an admin can set it).");
        }

        config.TryGetValue(BindMounts.Key, out var volumes);
        before.TryGetValue(BindMounts.Key, out var had);
        if (!caller.IsAdmin && !string.IsNullOrEmpty(volumes) && volumes != had)
        {
            throw DomainError.Forbidden("Bind mounts are for admins", $"{BindMounts.Key} mounts host directories into the container, which only an admin may choose; leave it out (an admin can set it).");
        }

        foreach (var mount in string.IsNullOrEmpty(volumes) || volumes == had ? [] : BindMounts.TryParse(volumes, out _) ?? [])
        {
            if (!Directory.Exists(mount.Host))
            {
                throw DomainError.Invalid("Volume not found", $"{BindMounts.Key}: {mount.Host} is not a directory on the host; create it first.");
            }
        }
    }

    /// <summary>Not an LXC key: who the container belongs to (admins only).</summary>
    private const string OwnerKey = "owner";
    private const string NetworkKey = "network";
    private const string IpKey = "ip";

    /// <summary>Moves a stopped container to another network (or none, or another address on its own) in a job.</summary>
    private async Task<JobRecord> ChangeNetworkAsync(ContainerRecord record, ConfigUpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Set.Count != (request.Set.ContainsKey(IpKey) ? 2 : 1) || request.Unset.Count > 0 || !request.Set.ContainsKey(NetworkKey))
        {
            throw DomainError.Invalid("Network change with other keys", "set network (and optionally ip) on their own, without other keys.");
        }

        if (runtime.GetStatus(record.Name) is not ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container is running", $"'{record.Name}' is running; stop it before changing its network.");
        }

        request.Set.TryGetValue(IpKey, out var ip);
        var (network, address) = await networkService.ResolveAttachmentAsync(request.Set[NetworkKey], ip, null, cancellationToken).ConfigureAwait(false);
        var previous = await networkStore.GetLeaseAsync(record.Name, cancellationToken).ConfigureAwait(false);
        if (network is null && (await forwardStore.ListAsync(record.Name, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            throw DomainError.Conflict("Container has forwards", $"'{record.Name}' has port forwards, which need a network; remove them first, or move it to another network.");
        }

        if (network is not null && record.Nics.Any(n => n.Index != 0 && n.Network.Name == network.Name))
        {
            throw DomainError.Conflict("Already on that network", $"'{record.Name}' already has another interface on network '{network.Name}'; network= changes only its first interface, so give another network.");
        }

        if (previous?.Network == network?.Name && (address is null || previous?.Address == address.ToString()))
        {
            throw DomainError.Invalid("Nothing to change", $"'{record.Name}' is already {(network is null ? "on no network" : $"on network '{network.Name}'")}; give another network, or an ip to move to.");
        }

        var jobId = JobQueue.NewId();
        if (!await containers.TryClaimAsync(record.Name, ContainerRecordStatus.MovingNetwork, jobId, cancellationToken).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Container busy", $"'{record.Name}' is being changed by another job; wait for it (GET /api/v1/jobs).");
        }

        return await jobs.SubmitAsync(JobKinds.NetworkChange, record.Name, new NetworkChangeArgs(record.Name, network?.Name, address?.ToString(), previous) { PreviousLeases = await networkStore.ListLeasesOfAsync(record.Name, cancellationToken).ConfigureAwait(false) }, cancellationToken, jobId).ConfigureAwait(false);
    }

    /// <summary>The network a launch joins (asked for, else the default network) and the address it asked for, validated.</summary>
    /// <summary>The interfaces to lease, in order; empty for no network.</summary>
    private async Task<List<(NetworkRecord Network, System.Net.IPAddress? Address)>> ResolveNetworksAsync(LaunchRequest request, CancellationToken cancellationToken)
    {
        if (request.Networks is not { Count: > 0 } several)
        {
            var (network, address) = await networkService.ResolveAttachmentAsync(request.Network, request.Ip, options.Value.DefaultNetworkIfAny, cancellationToken).ConfigureAwait(false);
            return network is null ? [] : [(network, address)];
        }

        if (request.Network is not null || request.Ip is not null)
        {
            throw DomainError.Invalid("Both network and networks", "give either network (and ip) or networks, not both.");
        }

        if (several.Count > MaxNetworks)
        {
            throw DomainError.Invalid("Too many networks", $"a container can be on at most {MaxNetworks} networks.");
        }

        var resolved = new List<(NetworkRecord Network, System.Net.IPAddress? Address)>();
        foreach (var attachment in several)
        {
            if (attachment?.Name is null or "none")
            {
                throw DomainError.Invalid("Invalid network in networks", "each entry of networks names a managed network; 'none' is not one (leave networks out for no network).");
            }

            if (resolved.Any(r => r.Network.Name == attachment.Name))
            {
                throw DomainError.Invalid("Network given twice", $"'{attachment.Name}' appears more than once in networks; a container has one interface per network.");
            }

            var (network, address) = await networkService.ResolveAttachmentAsync(attachment.Name, attachment.Ip, null, cancellationToken).ConfigureAwait(false);
            resolved.Add((network!, address));
        }

        return resolved;
    }

    private const int MaxNetworks = 8;

    private async Task<ContainerRecord> RequireAsync(string name, CancellationToken cancellationToken)
    {
        if (!ContainerName.IsValid(name))
        {
            throw Containers.ContainerName.NotFound(name);
        }

        var record = await containers.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            throw runtime.IsDefined(name)
                ? DomainError.Conflict("Container not managed", $"'{name}' was created outside Berth in its lxcpath; Berth lists it but does not touch it.")
                : Containers.ContainerName.NotFound(name);
        }

        return record;
    }

    private static string Activity(string status) => status switch
    {
        ContainerRecordStatus.Creating => "still being created",
        ContainerRecordStatus.Renaming => "being renamed",
        ContainerRecordStatus.MovingNetwork => "moving to another network",
        ContainerRecordStatus.Deleting => "being deleted",
        _ => status,
    };

    private async Task<ContainerRecord> RequireReadyAsync(string name, CancellationToken cancellationToken)
    {
        var record = await RequireAsync(name, cancellationToken).ConfigureAwait(false);
        if (record.Status != ContainerRecordStatus.Ready)
        {
            throw DomainError.Conflict("Container busy", $"'{name}' is {Activity(record.Status)}; wait for its job (GET /api/v1/jobs).");
        }

        if (!runtime.IsDefined(name))
        {
            throw DomainError.Conflict("Container missing", $"'{name}' is in Berth's store but gone from LXC (deleted outside Berth); delete it (DELETE /api/v1/containers/{name}).");
        }

        return record;
    }

    private ContainerInfo Describe(ContainerRecord record, bool withUsage)
    {
        ContainerStatus status;
        RuntimeSnapshot? snapshot = null;
        if (record.Status == ContainerRecordStatus.Creating)
        {
            status = ContainerStatus.Creating;
        }
        else if (record.Status == ContainerRecordStatus.Deleting)
        {
            status = ContainerStatus.Deleting;
        }
        else
        {
            snapshot = runtime.Snapshot(record.Name, withUsage);
            status = snapshot.Status;
        }

        return new ContainerInfo
        {
            Name = record.Name,
            Status = status,
            Error = snapshot?.Error,
            Managed = true,
            Owner = record.Owner,
            Image = record.Image,
            Privileged = record.Privileged,
            InitPid = snapshot?.InitPid,
            Addresses = snapshot?.Addresses ?? [],
            Storage = pools.PoolOf(record.Name).Name,
            Network = record.Nic?.Network.Name,
            Ipv4 = record.Nic?.Address,
            Ipv6 = record.Nic?.Address6,
            Networks = [.. record.Nics.Select(n => new ContainerNetwork { Index = n.Index, Network = n.Network.Name, Ipv4 = n.Address, Ipv6 = n.Address6 })],
            MemoryBytes = snapshot?.MemoryBytes,
            CpuSeconds = snapshot?.CpuSeconds,
            HostRootUid = snapshot?.HostRootUid,
            Config = record.Config,
            CreatedAt = record.CreatedAt,
            Health = health.Of(record.Name).Health,
            Restarts = health.Of(record.Name).Restarts,
            HealthFailure = health.Of(record.Name).Failure,
            HealthFailureAt = health.Of(record.Name).FailureAt,
        };
    }

    private ContainerInfo DescribeUnmanaged(string name)
    {
        var snapshot = runtime.Snapshot(name, withUsage: false);
        return new ContainerInfo
        {
            Name = name,
            Status = snapshot.Status,
            Error = snapshot.Error,
            Managed = false,
            InitPid = snapshot.InitPid,
            Addresses = snapshot.Addresses,
            HostRootUid = snapshot.HostRootUid,
        };
    }
}
