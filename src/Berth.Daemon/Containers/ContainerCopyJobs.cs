using Berth.Contracts;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Images;
using Berth.Daemon.Jobs;
using Berth.Daemon.Networking;
using Berth.Daemon.Processes;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;

namespace Berth.Daemon.Containers;

/// <summary>
/// Runs copies (a clone of the source's root filesystem in its pool: copy-on-write where the pool allows) and
/// imports (an archive unpacked aside in the target pool, then taken over). The new container gets its own identity
/// and is left stopped; every step is undone if a later one fails.
/// </summary>
public sealed class ContainerCopyJobs(
    ContainerStore containers,
    StoragePools pools,
    StorageStore storage,
    NetworkStore networks,
    NameServer names,
    Firewall firewall,
    ContainerIdentity identity,
    LxcConfigRenderer renderer,
    StatePaths paths,
    EventBroker events,
    Backups.BackupTrees backups,
    ArchiveTransfers transfers,
    ILogger<ContainerCopyJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } = [ContainerCopyService.CopyKind, ContainerCopyService.ImportKind, Backups.BackupJobKinds.RestoreAs];

    public async Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<CopyArgs>();
        try
        {
            await RunAsync(context, args).ConfigureAwait(false);
        }
        finally
        {
            RemoveUpload(args);
        }
    }

    private async Task RunAsync(JobContext context, CopyArgs args)
    {
        var ct = context.CancellationToken;
        var pool = await pools.RequireAsync(args.Pool ?? StoragePool.DefaultName, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);

        var record = await containers.GetAsync(args.Target, ct).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"the store has no row for '{args.Target}'");
        await using var reverter = new Reverter(logger);
        foreach (var nic in record.Nics)
        {
            // Runs last: the network's names are rendered from the leases.
            reverter.Add("drop the name from the network's DNS", () => names.UpdateAsync(nic.Network, CancellationToken.None));
        }

        reverter.Add("release the address", () => networks.ReleaseAsync(args.Target));
        reverter.Add("remove the store row", () => containers.DeleteAsync(args.Target));
        var dir = paths.ContainerDir(args.Target);
        StorageLayout.EnsurePrivate(dir);
        reverter.Add("remove the container directory", () => ImageStore.RemoveTreeAsync(dir));
        await pools.PlaceAsync(args.Target, pool.Name, ct).ConfigureAwait(false);
        reverter.Add("forget the placement", () => pools.ForgetAsync(args.Target, CancellationToken.None));
        reverter.Add("remove the root filesystem", () => driver.DeleteAsync(pool, args.Target, CancellationToken.None));

        var isCopy = context.Job.Kind == ContainerCopyService.CopyKind;
        var isRestore = context.Job.Kind == Backups.BackupJobKinds.RestoreAs;
        var shown = args.Upload ? ContainerCopyService.UploadedArchive : args.File;
        var doing = isCopy ? $"copying '{args.Source}' to '{args.Target}'" : isRestore ? $"restoring backup {args.Backup?[..8]} as '{args.Target}'" : $"importing {shown} as '{args.Target}'";
        await OutOfSpace.GuardAsync(pool, doing, async () =>
        {
            // Only the copying is tagged: a name server started later for the network must not count as the job's.
            JobProcessTag.Enter(context.Job.Id);
            if (isCopy)
            {
                context.Report($"copying {args.Source}{(args.Snapshot is null ? "" : "/" + args.Snapshot)}");
                await driver.CloneAsync(pool, args.Source!, args.Snapshot, args.Target, ct).ConfigureAwait(false);
            }
            else if (isRestore)
            {
                await RestoreTreeAsync(context, args, pool, driver, reverter).ConfigureAwait(false);
            }
            else
            {
                await ImportTreesAsync(context, args, pool, driver, reverter).ConfigureAwait(false);
            }

            await identity.WriteAsync(record, ct).ConfigureAwait(false);
            if (!args.KeepIdentity)
            {
                await identity.RenewAsync(args.Target, ct).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);

        renderer.Write(record);
        if (record.Config.TryGetValue(ContainerConfig.LimitsDisk, out var disk) && ByteSize.TryParse(disk, out var bytes))
        {
            await driver.SetQuotaAsync(pool, record.Name, bytes, ct).ConfigureAwait(false);
        }

        foreach (var nic in record.Nics)
        {
            await names.UpdateAsync(nic.Network, ct).ConfigureAwait(false);
        }

        if (record.Nics.Any(n => n.Network.Isolated) || (record.Owner is not null && record.Nics.Count > 0))
        {
            // Its ports join the isolated set before it can send anything, as at launch.
            await firewall.ApplyAsync(ct).ConfigureAwait(false);
        }

        await containers.SetStatusAsync(args.Target, ContainerRecordStatus.Ready, null, ct).ConfigureAwait(false);
        reverter.Success();
        events.Lifecycle("container.created", args.Target, context.Job.Id, isCopy ? $"copy of {args.Source}" : isRestore ? $"restored from backup {args.Backup?[..8]}" : $"imported from {shown}");
    }

    /// <summary>An uploaded archive goes once its import ends, whatever the outcome (the job is not retried with it).</summary>
    private void RemoveUpload(CopyArgs? args)
    {
        if (args is { Upload: true, File: { } file })
        {
            transfers.Remove(file);
        }
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var record = await containers.GetAsync(job.Target, cancellationToken).ConfigureAwait(false);
        if (record is { Status: ContainerRecordStatus.Ready })
        {
            return new JobRecovery(true, $"'{job.Target}' had been fully created before the restart");
        }

        // Its cp or tar outlives a killed daemon and would still be writing what is removed below.
        await ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        var pool = await pools.PoolOfAsync(job.Target, cancellationToken).ConfigureAwait(false);
        var args = System.Text.Json.JsonSerializer.Deserialize<CopyArgs>(job.Args, BerthJson.Options);
        RemoveUpload(args);
        if (job.Kind is ContainerCopyService.ImportKind or Backups.BackupJobKinds.RestoreAs && await pools.FindAsync(args?.Pool ?? pool.Name, cancellationToken).ConfigureAwait(false) is { } importPool)
        {
            await RemoveStagedImportsAsync(importPool, cancellationToken).ConfigureAwait(false);
        }

        await pools.DriverOf(pool).DeleteAsync(pool, job.Target, cancellationToken).ConfigureAwait(false);
        await pools.ForgetAsync(job.Target, cancellationToken).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(paths.ContainerDir(job.Target)).ConfigureAwait(false);
        await networks.ReleaseAsync(job.Target, cancellationToken).ConfigureAwait(false);
        if (record?.JobId == job.Id)
        {
            await containers.DeleteAsync(job.Target, cancellationToken).ConfigureAwait(false);
        }

        return new JobRecovery(false, $"the half-made container '{job.Target}' was removed; run it again");
    }

    /// <summary>Removes what imports interrupted by a restart left unpacked (recovery runs before any new job starts).</summary>
    private async Task RemoveStagedImportsAsync(StoragePool pool, CancellationToken ct)
    {
        var driver = pools.DriverOf(pool);
        foreach (var staging in Directory.GetDirectories(StagingRoot(pool), ".import-*"))
        {
            await ChildProcesses.KillWritersAsync(staging, ct).ConfigureAwait(false);
            var snapshots = Path.Combine(staging, "snapshots");
            foreach (var tree in (Directory.Exists(snapshots) ? Directory.GetDirectories(snapshots) : []).Append(Path.Combine(staging, "rootfs")).Where(Directory.Exists))
            {
                await driver.DeleteTreeAsync(pool, tree, ct).ConfigureAwait(false);
            }

            await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
        }
    }

    private string StagingRoot(StoragePool pool) => pool.Name == StoragePool.DefaultName ? paths.LxcPath : pool.Path;

    /// <summary>A backup's tree restored aside, as an archive is unpacked, then taken over.</summary>
    private async Task RestoreTreeAsync(JobContext context, CopyArgs args, StoragePool pool, IStorageDriver driver, Reverter reverter)
    {
        var staging = Path.Combine(StagingRoot(pool), $".import-{Guid.NewGuid():N}");
        var tree = Path.Combine(staging, "rootfs");
        reverter.Add("remove the restored tree", async () =>
        {
            if (Directory.Exists(tree))
            {
                await driver.DeleteTreeAsync(pool, tree, CancellationToken.None).ConfigureAwait(false);
            }

            await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
        });
        StorageLayout.EnsurePrivate(staging);
        await driver.CreateTreeAsync(pool, tree, context.CancellationToken).ConfigureAwait(false);
        await backups.RestoreTreeAsync(context, args.BackupTarget!, args.Backup!, staging, context.CancellationToken).ConfigureAwait(false);
        var record = await containers.GetAsync(args.Target, context.CancellationToken).ConfigureAwait(false);
        context.Report("placing the root filesystem");
        await driver.CreateFromTreeAsync(pool, tree, args.Target, record?.Privileged ?? false, context.CancellationToken).ConfigureAwait(false);
        await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
    }

    private async Task ImportTreesAsync(JobContext context, CopyArgs args, StoragePool pool, IStorageDriver driver, Reverter reverter)
    {
        var ct = context.CancellationToken;

        // Unpacked next to where it will live, into trees the pool made for it (subvolumes on btrfs), so taking them over is a rename.
        var staging = Path.Combine(StagingRoot(pool), $".import-{Guid.NewGuid():N}");
        var shown = args.Upload ? ContainerCopyService.UploadedArchive : null;
        var archived = await ContainerArchive.PeekAsync(args.File!, ct, shown).ConfigureAwait(false);
        string[] trees = [Path.Combine(staging, "rootfs"), .. archived.Snapshots.Where(s => ContainerName.IsValid(s.Name)).Select(s => Path.Combine(staging, "snapshots", s.Name))];
        reverter.Add("remove the unpacked archive", async () =>
        {
            foreach (var tree in trees.Where(Directory.Exists))
            {
                await driver.DeleteTreeAsync(pool, tree, CancellationToken.None).ConfigureAwait(false);
            }

            await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
        });
        StorageLayout.EnsurePrivate(staging);
        foreach (var tree in trees)
        {
            await driver.CreateTreeAsync(pool, tree, ct).ConfigureAwait(false);
        }

        var manifest = await ContainerArchive.ExtractAsync(args.File!, staging, context, ct, shown).ConfigureAwait(false);
        var record = await containers.GetAsync(args.Target, ct).ConfigureAwait(false);
        context.Report("placing the root filesystem");
        await driver.CreateFromTreeAsync(pool, Path.Combine(staging, "rootfs"), args.Target, record?.Privileged ?? false, ct).ConfigureAwait(false);
        foreach (var snapshot in manifest.Snapshots)
        {
            var tree = Path.Combine(staging, "snapshots", snapshot.Name);
            if (!ContainerName.IsValid(snapshot.Name) || !Directory.Exists(tree))
            {
                continue;
            }

            await driver.ImportSnapshotAsync(pool, args.Target, snapshot.Name, tree, ct).ConfigureAwait(false);
            await storage.TryInsertSnapshotAsync(new SnapshotRecord(args.Target, snapshot.Name, snapshot.CreatedAt, null), ct).ConfigureAwait(false);
        }

        await ImageStore.RemoveTreeAsync(staging).ConfigureAwait(false);
    }
}
