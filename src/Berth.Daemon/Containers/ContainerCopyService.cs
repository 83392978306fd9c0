using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;

namespace Berth.Daemon.Containers;

/// <summary>
/// Copies and imports: new containers from an existing one (or its snapshot) or from an archive. Checked here, then
/// the name is reserved (the store's key decides races) and, on a network, a new address is leased; a job does the rest.
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
    TimeProvider time)
{
    public const string CopyKind = "container.copy";
    public const string ImportKind = "container.import";

    public async Task<JobRecord> CopyAsync(string source, CopyRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var original = (ContainerName.IsValid(source) ? await containers.GetAsync(source, cancellationToken).ConfigureAwait(false) : null)
            ?? throw BerthProblem.ContainerNotFound(source);
        if (original.Status != ContainerRecordStatus.Ready || !runtime.IsDefined(source))
        {
            throw BerthProblem.Conflict("Container busy", $"'{source}' is being created or deleted, or is missing.");
        }

        var target = ContainerName.Validate(request.Target);
        if (request.Snapshot is not null && !(await storage.ListSnapshotsAsync(source, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == request.Snapshot))
        {
            throw BerthProblem.NotFound("Snapshot not found", $"'{source}' has no snapshot named '{request.Snapshot}'.");
        }

        var pool = await pools.PoolOfAsync(source, cancellationToken).ConfigureAwait(false);
        pools.RequireQuotaSupport(pool, original.Config);
        var (network, address) = await networkService.ResolveAttachmentAsync(request.Network, request.Ip, original.Nic?.Network.Name ?? "none", cancellationToken).ConfigureAwait(false);
        return await ReserveAndSubmitAsync(
            original with { Name = target, Status = ContainerRecordStatus.Creating, CreatedAt = time.GetUtcNow(), Nic = null },
            network,
            address,
            CopyKind,
            new CopyArgs { Target = target, Source = source, Snapshot = request.Snapshot, Pool = pool.Name },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<JobRecord> ImportAsync(ImportRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var file = StorageService.ArchivePath(request.File);
        if (!File.Exists(file))
        {
            throw BerthProblem.BadRequest("Archive not found", $"there is no file {file} on the host.");
        }

        var pool = await pools.RequireAsync(request.Storage ?? StoragePool.DefaultName, cancellationToken).ConfigureAwait(false);
        var manifest = await ContainerArchive.PeekAsync(file, cancellationToken).ConfigureAwait(false);
        var target = ContainerName.Validate(request.Name ?? manifest.Name);

        // An archive never grants privilege: the caller must ask for it (refused rather than downgraded, as LXD users expect).
        if (manifest.AsksForPrivilege && !request.Privileged)
        {
            throw BerthProblem.BadRequest("Privileged archive", $"{file} holds a privileged container (root in it is root on the host); to import it as one, set privileged: true in the request.");
        }

        var privileged = manifest.AsksForPrivilege && request.Privileged;
        var config = ContainerConfig.Apply(new Dictionary<string, string>(), manifest.Config, null, atLaunch: true, new HostCgroups());
        if (privileged)
        {
            config[ContainerConfig.SecurityPrivileged] = "true";
        }

        var (network, address) = await networkService.ResolveAttachmentAsync(request.Network, request.Ip, options.Value.DefaultNetworkIfAny, cancellationToken).ConfigureAwait(false);

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
        };
        pools.RequireQuotaSupport(pool, record.Config);
        return await ReserveAndSubmitAsync(record, network, address, ImportKind, new CopyArgs { Target = target, File = file, Pool = pool.Name, KeepIdentity = request.KeepIdentity }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JobRecord> ReserveAndSubmitAsync(ContainerRecord record, NetworkRecord? network, System.Net.IPAddress? address, string kind, CopyArgs args, CancellationToken cancellationToken)
    {
        if (runtime.IsDefined(record.Name))
        {
            throw BerthProblem.Conflict("Name taken", $"a container named '{record.Name}' already exists; choose another name or delete it first.");
        }

        var jobId = JobQueue.NewId();
        if (!await containers.TryInsertAsync(record with { JobId = jobId }, Users.QuotaDemand.ForContainer(Access.Caller.Current, record.Owner, record.Config), cancellationToken).ConfigureAwait(false))
        {
            throw BerthProblem.Conflict("Name taken", $"a container named '{record.Name}' already exists; choose another name or delete it first.");
        }

        try
        {
            if (network is not null && await networks.TryLeaseAsync(network, record.Name, address, cancellationToken).ConfigureAwait(false) is null)
            {
                throw address is null
                    ? BerthProblem.Conflict("Network full", $"network '{network.Name}' has no free address left for '{record.Name}'.")
                    : BerthProblem.Conflict("Address taken", $"{address} is already used on network '{network.Name}'; leave out ip to get a free one.");
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
}
