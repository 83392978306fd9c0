using System.Runtime.InteropServices;
using Berth.Contracts;
using Berth.Daemon.Api;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Processes;
using Berth.Daemon.Runtime;
using Berth.Daemon.Store;
using Microsoft.Extensions.Options;
using Berth.Daemon.Errors;

namespace Berth.Daemon.Storage;

/// <summary>Runs pool, snapshot and export jobs.</summary>
public sealed class StorageJobs(
    StoragePools pools,
    StorageStore store,
    ContainerStore containers,
    LxcRuntime runtime,
    StatePaths paths,
    EventBroker events,
    TimeProvider time,
    IOptions<BerthOptions> options,
    Images.ImageRegistry registry,
    ILogger<StorageJobs> logger) : IJobHandler
{
    public IReadOnlyCollection<string> Kinds { get; } =
        [StorageJobKinds.PoolCreate, StorageJobKinds.PoolDelete, StorageJobKinds.SnapshotCreate, StorageJobKinds.SnapshotRestore, StorageJobKinds.SnapshotDelete, StorageJobKinds.Export];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<StorageArgs>();
        return context.Job.Kind switch
        {
            StorageJobKinds.PoolCreate => CreatePoolAsync(context, args),
            StorageJobKinds.PoolDelete => DeletePoolAsync(context, args),
            StorageJobKinds.SnapshotCreate => CreateSnapshotAsync(context, args),
            StorageJobKinds.SnapshotRestore => RestoreSnapshotAsync(context, args),
            StorageJobKinds.SnapshotDelete => DeleteSnapshotAsync(context, args),
            _ => ExportAsync(context, args),
        };
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = System.Text.Json.JsonSerializer.Deserialize<StorageArgs>(job.Args, BerthJson.Options)!;
        switch (job.Kind)
        {
            case StorageJobKinds.PoolCreate when await pools.FindAsync(args.Pool!, cancellationToken).ConfigureAwait(false) is null:
                // The row is written last: without it, whatever the job made is undone.
                await UndoPoolAsync(args, cancellationToken).ConfigureAwait(false);
                return new JobRecovery(false, $"the half-made pool '{args.Pool}' was removed; create it again");
            case StorageJobKinds.SnapshotCreate:
                return await RecoverSnapshotCreateAsync(job, args, cancellationToken).ConfigureAwait(false);
            case StorageJobKinds.Export:
                List<string> done = [.. await StopCopyAsync(job, args, cancellationToken).ConfigureAwait(false)];
                ContainerArchive.RemovePartial(args.File!);
                await Images.ImageStore.RemoveTreeAsync(ContainerArchive.StagingPath(job.Id)).ConfigureAwait(false);
                return new JobRecovery(false, string.Join("; ", done.Prepend("the half-written archive and its staging directory were removed")) + "; export again");
            default:
                return new JobRecovery(false, "run the action again if it is still needed");
        }
    }

    private async Task<JobRecovery> RecoverSnapshotCreateAsync(JobRecord job, StorageArgs args, CancellationToken cancellationToken)
    {
        var done = await StopCopyAsync(job, args, cancellationToken).ConfigureAwait(false);
        if ((await store.ListSnapshotsAsync(args.Container, cancellationToken).ConfigureAwait(false)).Any(s => s.Name == args.Snapshot))
        {
            return new JobRecovery(false, string.Join("; ", done.Append("run the action again if it is still needed")));
        }

        var pool = await pools.PoolOfAsync(args.Container!, cancellationToken).ConfigureAwait(false);
        await pools.DriverOf(pool).DeleteSnapshotAsync(pool, args.Container!, args.Snapshot!, cancellationToken).ConfigureAwait(false);
        return new JobRecovery(false, string.Join("; ", done.Prepend($"the half-made snapshot '{args.Snapshot}' was removed")));
    }

    /// <summary>
    /// What an interrupted copy of a container leaves: its own children, which outlive a killed daemon and would race
    /// the removal of what they write, and the freeze it put on a running container.
    /// </summary>
    private async Task<IEnumerable<string>> StopCopyAsync(JobRecord job, StorageArgs args, CancellationToken cancellationToken)
    {
        List<string> done = [];
        var stopped = await ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (stopped > 0)
        {
            done.Add($"{stopped} copying process{(stopped == 1 ? "" : "es")} still running {(stopped == 1 ? "was" : "were")} stopped");
        }

        if (JobFreeze.ThawAfterCrash(runtime, paths, job.Id, args.Container!))
        {
            done.Add($"'{args.Container}', frozen for the copy, was thawed");
        }

        return done;
    }

    private async Task CreatePoolAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        await using var reverter = new Reverter(logger);
        var pool = new StoragePool
        {
            Name = args.Pool!,
            Driver = args.Driver!,
            Path = args.Source ?? Path.Combine(paths.Root, "pools", args.Pool!),
            LoopFile = args.SizeBytes is null ? null : Path.Combine(paths.Root, "pools", args.Pool + ".img"),
            SizeBytes = args.SizeBytes,
            CreatedAt = time.GetUtcNow(),
        };

        if (pool.LoopFile is not null)
        {
            context.Report($"creating a {args.SizeBytes / 1024 / 1024} MiB btrfs loop file");
            StorageLayout.EnsureTraversable(Path.Combine(paths.Root, "pools"));
            reverter.Add("remove the loop file system", () => UndoPoolAsync(args, CancellationToken.None));
            await BtrfsStorageDriver.CreateLoopFileSystemAsync(pool.LoopFile, pool.Path, args.SizeBytes!.Value, ct).ConfigureAwait(false);
        }

        await pools.DriverOf(pool).InitialiseAsync(pool, ct).ConfigureAwait(false);
        await pools.AddPoolAsync(pool, ct).ConfigureAwait(false);

        reverter.Success();
        events.Publish("lifecycle", "storage.created", pool.Name, context.Job.Id);
    }

    private async Task UndoPoolAsync(StorageArgs args, CancellationToken cancellationToken)
    {
        if (args.SizeBytes is null)
        {
            return;
        }

        var mountPoint = Path.Combine(paths.Root, "pools", args.Pool!);
        if (Mounts.IsMountPoint(mountPoint))
        {
            await Processes.CommandRunner.RunAsync("umount", ["--", mountPoint], cancellationToken).ConfigureAwait(false);
        }

        File.Delete(Path.Combine(paths.Root, "pools", args.Pool + ".img"));
        if (Directory.Exists(mountPoint))
        {
            Directory.Delete(mountPoint);
        }
    }

    private async Task DeletePoolAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        var pool = await pools.RequireAsync(args.Pool!, ct).ConfigureAwait(false);
        var placements = await pools.PlacementsAsync(ct).ConfigureAwait(false);
        if (placements.Values.Contains(pool.Name))
        {
            throw DomainError.Conflict("Pool in use", $"containers are in '{pool.Name}'; delete or move them first.");
        }

        await pools.DriverOf(pool).DestroyAsync(pool, ct).ConfigureAwait(false);
        await pools.RemovePoolAsync(pool.Name, ct).ConfigureAwait(false);
        events.Publish("lifecycle", "storage.deleted", pool.Name, context.Job.Id);
    }

    private async Task CreateSnapshotAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await using var reverter = new Reverter(logger);
        JobProcessTag.Enter(context.Job.Id);

        // A running container is frozen for the moment of the copy, so the snapshot is consistent.
        using (JobFreeze.FreezeIfRunning(runtime, paths, context.Job.Id, name))
        {
            reverter.Add("remove the snapshot", () => driver.DeleteSnapshotAsync(pool, name, args.Snapshot!, CancellationToken.None));
            await OutOfSpace.GuardAsync(pool, $"taking snapshot '{args.Snapshot}' of '{name}'", () => driver.CreateSnapshotAsync(pool, name, args.Snapshot!, ct)).ConfigureAwait(false);
        }

        var quota = Users.QuotaDemand.ForSnapshot(Users.QuotaDemand.IsExempt(context.Job.RequestedBy), context.Job.RequestedBy, name);
        if (!await store.TryInsertSnapshotAsync(new SnapshotRecord(name, args.Snapshot!, time.GetUtcNow(), args.ExpiresAt), quota, ct).ConfigureAwait(false))
        {
            throw DomainError.Conflict("Snapshot exists", $"'{name}' already has a snapshot named '{args.Snapshot}'.");
        }

        reverter.Success();
        events.Lifecycle("container.snapshot-created", name, context.Job.Id, args.Snapshot);
    }

    private async Task RestoreSnapshotAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var wasRunning = runtime.GetStatus(name) != ContainerStatus.Stopped;
        if (wasRunning)
        {
            if (!args.Stop)
            {
                throw DomainError.Conflict("Container is running", $"'{name}' is running; stop it first, or restore with stop: true.");
            }

            context.Report($"stopping {name}");
            await runtime.StopAsync(name, force: false, options.Value.StopTimeoutSeconds, ct).ConfigureAwait(false);
            events.Lifecycle("container.stopped", name, context.Job.Id);
        }

        context.Report($"restoring {args.Snapshot}");
        try
        {
            await OutOfSpace.GuardAsync(
                pool,
                $"restoring snapshot '{args.Snapshot}' of '{name}'",
                () => pools.DriverOf(pool).RestoreSnapshotAsync(pool, name, args.Snapshot!, ct),
                "the container is as it was").ConfigureAwait(false);
        }
        catch when (wasRunning)
        {
            // The drivers restore aside and swap at the end: the container is as it was, so it runs again as it did.
            await runtime.StartAsync(name, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        events.Lifecycle("container.snapshot-restored", name, context.Job.Id, args.Snapshot);
        if (wasRunning)
        {
            context.Report($"starting {name}");
            await runtime.StartAsync(name, ct).ConfigureAwait(false);
            events.Lifecycle("container.started", name, context.Job.Id);
        }
    }

    private async Task DeleteSnapshotAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        var pool = await pools.PoolOfAsync(args.Container!, ct).ConfigureAwait(false);
        await pools.DriverOf(pool).DeleteSnapshotAsync(pool, args.Container!, args.Snapshot!, ct).ConfigureAwait(false);
        await store.DeleteSnapshotAsync(args.Container!, args.Snapshot!, ct).ConfigureAwait(false);
        events.Lifecycle("container.snapshot-deleted", args.Container!, context.Job.Id, args.Snapshot);
    }

    private async Task ExportAsync(JobContext context, StorageArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var record = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        var snapshots = args.WithSnapshots ? await store.ListSnapshotsAsync(name, ct).ConfigureAwait(false) : [];
        var manifest = new ArchiveManifest
        {
            Name = record.Name,
            Image = record.Image,
            Privileged = record.Privileged,
            Config = record.Config,
            CreatedAt = record.CreatedAt,
            ExportedAt = time.GetUtcNow(),
            Architecture = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
            LxcProfile = record.LxcProfile ?? registry.Find(record.Image)?.LxcProfile,
            HaltSignal = record.HaltSignal ?? registry.Find(record.Image)?.HaltSignal,
            Snapshots = [.. snapshots.Select(s => new ArchivedSnapshot(s.Name, s.CreatedAt))],
            Nics = [.. record.Nics.OrderBy(n => n.Index).Select(n => new ArchivedNic { Network = n.Network.Name, Ipv4 = n.Address, Ipv6 = n.Address6 })],
        };

        await driver.PrepareAsync(pool, name, ct).ConfigureAwait(false);

        // Each snapshot whole (overlay pools mount it for the time it is read).
        List<(string Name, SnapshotTree Tree)> trees = [];
        JobFreeze? frozen = null;
        JobProcessTag.Enter(context.Job.Id);
        try
        {
            foreach (var snapshot in snapshots)
            {
                trees.Add((snapshot.Name, await driver.OpenSnapshotAsync(pool, name, snapshot.Name, ct).ConfigureAwait(false)));
            }

            // A running container is exported as it is on disk now; freeze it for a consistent copy.
            frozen = JobFreeze.FreezeIfRunning(runtime, paths, context.Job.Id, name);
            await ContainerArchive.ExportAsync(
                manifest,
                driver.RootfsPath(pool, name),
                [.. trees.Select(t => (t.Name, t.Tree.Path, t.Tree.Shift))],
                args.File!,
                driver.HostRootShift(pool, name),
                ContainerArchive.StagingPath(context.Job.Id),
                context,
                ct).ConfigureAwait(false);
        }
        finally
        {
            frozen?.Dispose();
            foreach (var (_, tree) in trees)
            {
                await tree.DisposeAsync().ConfigureAwait(false);
            }
        }

        events.Lifecycle("container.exported", name, context.Job.Id, args.Download ? "download" : args.File);
    }
}
