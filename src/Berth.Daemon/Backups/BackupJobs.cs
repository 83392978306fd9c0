using System.Runtime.InteropServices;
using System.Text.Json;
using Berth.Contracts;
using Berth.Daemon.Errors;
using Berth.Daemon.Events;
using Berth.Daemon.Hosting;
using Berth.Daemon.Jobs;
using Berth.Daemon.Processes;
using Berth.Daemon.Runtime;
using Berth.Daemon.Storage;
using Berth.Daemon.Store;
using Microsoft.Data.Sqlite;

namespace Berth.Daemon.Backups;

/// <summary>Runs backups of containers and of Berth's database, and restores in place or of a single path.</summary>
public sealed partial class BackupJobs(
    BackupTargets targets,
    BackupStore store,
    BackupStaging staging,
    BackupRunner runner,
    ContainerStore containers,
    StoragePools pools,
    LxcRuntime runtime,
    StatePaths paths,
    Database database,
    EventBroker events,
    TimeProvider time,
    Images.ImageRegistry registry,
    Files.ContainerFiles files,
    BackupMarks marks,
    ILogger<BackupJobs> logger) : IJobHandler
{
    /// <summary>The copy-on-write snapshot a backup reads from: a name no user snapshot can have (those start with a letter).</summary>
    public const string SnapshotName = ".berth-backup";

    public IReadOnlyCollection<string> Kinds { get; } = [BackupJobKinds.Run, BackupJobKinds.System, BackupJobKinds.Restore, BackupJobKinds.Check];

    public Task RunAsync(JobContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var args = context.Args<BackupArgs>();
        return context.Job.Kind switch
        {
            BackupJobKinds.Run => BackupContainerAsync(context, args),
            BackupJobKinds.System => BackupSystemAsync(context, args),
            BackupJobKinds.Check => marks.RunAsync(context, BackupMarks.TargetKind, args.Target!, "check", args.Target, () => CheckAsync(context, args)),
            _ => RestoreAsync(context, args),
        };
    }

    public async Task<JobRecovery> RecoverAsync(JobRecord job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var args = JsonSerializer.Deserialize<BackupArgs>(job.Args, BerthJson.Options)!;
        List<string> done = [];
        var stopped = await ChildProcesses.KillJobChildrenAsync(job.Id, cancellationToken).ConfigureAwait(false);
        if (stopped > 0)
        {
            done.Add($"{stopped} restic process{(stopped == 1 ? "" : "es")} still running {(stopped == 1 ? "was" : "were")} stopped");
        }

        if (job.Kind == BackupJobKinds.Run && args.Container is { } name)
        {
            if (JobFreeze.ThawAfterCrash(runtime, paths, job.Id, name))
            {
                done.Add($"'{name}', frozen for the backup, was thawed");
            }

            await staging.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
            var pool = await pools.PoolOfAsync(name, cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(pools.DriverOf(pool).SnapshotPath(pool, name, SnapshotName)))
            {
                await pools.DriverOf(pool).DeleteSnapshotAsync(pool, name, SnapshotName, cancellationToken).ConfigureAwait(false);
            }
        }
        else if (job.Kind == BackupJobKinds.System)
        {
            await staging.RemoveAsync(BackupJobKinds.SystemTarget, cancellationToken).ConfigureAwait(false);
        }
        else if (job.Kind == BackupJobKinds.Restore && args.To is { } to)
        {
            await Images.ImageStore.RemoveTreeAsync(Path.Combine(to, ".berth-restore-" + job.Id)).ConfigureAwait(false);
        }

        done.Add(job.Kind == BackupJobKinds.Restore
            ? "a restore in place swaps the tree only at its end, so the container is as it was; restore again"
            : "the backups already in the target are intact; run it again");
        return new JobRecovery(false, string.Join("; ", done));
    }

    /// <summary>The backup, then the prune its keep rules ask for: each failure marks the container with what failed.</summary>
    private async Task BackupContainerAsync(JobContext context, BackupArgs args)
    {
        BackupTargetRecord? target = null;
        await marks.RunAsync(context, BackupMarks.ContainerKind, args.Container!, "backup", args.Target, async () => target = await BackUpAsync(context, args).ConfigureAwait(false)).ConfigureAwait(false);
        if (args.Keep is { } keep)
        {
            await marks.RunAsync(context, BackupMarks.ContainerKind, args.Container!, "prune", target!.Name, () => PruneAsync(context, target, args.Container!, keep), markSuccess: false).ConfigureAwait(false);
        }
    }

    private async Task<BackupTargetRecord> BackUpAsync(JobContext context, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var record = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        await containers.RequireQuotaAsync(Users.QuotaDemand.ForBackup(args.QuotaExempt, context.Job.RequestedBy, name), ct).ConfigureAwait(false);
        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        await driver.PrepareAsync(pool, name, ct).ConfigureAwait(false);
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
            Nics = [.. record.Nics.OrderBy(n => n.Index).Select(n => new ArchivedNic { Network = n.Network.Name, Ipv4 = n.Address, Ipv6 = n.Address6 })],
        };

        var dir = await staging.PrepareAsync(name, ct).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(dir, "berth.json"), JsonSerializer.Serialize(manifest, BerthJson.Options), ct).ConfigureAwait(false);
        if (File.Exists(paths.ContainerConfig(name)))
        {
            File.Copy(paths.ContainerConfig(name), Path.Combine(dir, "config"));
        }

        JobProcessTag.Enter(context.Job.Id);
        JobFreeze? frozen = null;
        SnapshotTree? tree = null;
        var snapshotted = false;
        ResticSummary summary;
        try
        {
            // The turn first: a container stays frozen only while restic reads it, never while it waits.
            using var turn = await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false);
            string source;
            long? shift;
            var running = runtime.GetStatus(name) != ContainerStatus.Stopped;
            if (running && driver.CopyOnWrite)
            {
                context.Report("taking a copy-on-write snapshot to read from");
                using (JobFreeze.FreezeIfRunning(runtime, paths, context.Job.Id, name))
                {
                    snapshotted = true;
                    await driver.CreateSnapshotAsync(pool, name, SnapshotName, ct).ConfigureAwait(false);
                }

                tree = await driver.OpenSnapshotAsync(pool, name, SnapshotName, ct).ConfigureAwait(false);
                (source, shift) = (tree.Path, tree.Shift);
            }
            else
            {
                if (running)
                {
                    context.Report($"freezing {name} while it is read");
                    frozen = JobFreeze.FreezeIfRunning(runtime, paths, context.Job.Id, name);
                }

                (source, shift) = (driver.RootfsPath(pool, name), driver.HostRootShift(pool, name));
            }

            if (shift is not null)
            {
                throw DomainError.Conflict("Backup of shifted tree", $"'{name}' is stored with shifted owners (an idmapped {pool.Driver} pool), which restic cannot write as the container sees them; move it to a dir or btrfs pool, or use berth export.");
            }

            await BackupStaging.BindAsync(source, dir, ct).ConfigureAwait(false);
            List<string> members = File.Exists(Path.Combine(dir, "config")) ? ["berth.json", "config", "rootfs"] : ["berth.json", "rootfs"];
            List<string> tags = [BackupTags.Container, "container=" + name];
            if (args.Owner is { } owner)
            {
                tags.Add("owner=" + owner);
            }

            summary = await runner.BackupAsync(context, target, dir, members, tags, ct).ConfigureAwait(false);
        }
        finally
        {
            await staging.RemoveAsync(name, CancellationToken.None).ConfigureAwait(false);
            frozen?.Dispose();
            if (tree is not null)
            {
                await tree.DisposeAsync().ConfigureAwait(false);
            }

            if (snapshotted)
            {
                await driver.DeleteSnapshotAsync(pool, name, SnapshotName, CancellationToken.None).ConfigureAwait(false);
            }
        }

        await store.InsertAsync(new BackupRecord
        {
            Target = target.Name,
            Id = summary.SnapshotId,
            Container = name,
            Owner = args.Owner,
            CreatedAt = time.GetUtcNow(),
            SizeBytes = summary.Bytes,
            Files = summary.Files,
        }, CancellationToken.None).ConfigureAwait(false);
        Log.BackedUp(logger, name, target.Name, summary.SnapshotId, summary.Files, summary.Added);
        events.Lifecycle("container.backed-up", name, context.Job.Id, $"{summary.SnapshotId[..8]} in {target.Name}");
        return target;
    }

    /// <summary>Forgets the container's backups on <paramref name="target"/> that <paramref name="keep"/> leaves out, then prunes, in the target's turn.</summary>
    private async Task PruneAsync(JobContext context, BackupTargetRecord target, string name, string keep)
    {
        var ct = context.CancellationToken;
        if (!Policy.KeepPolicy.TryParse(keep, out var policy, out var error))
        {
            throw DomainError.Invalid("Invalid keep rules", $"{BackupScheduler.KeepKey}={keep}: {error}.");
        }

        var restic = targets.Open(target);
        using var turn = await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false);
        var mine = (await store.ListAsync(name, false, null, ct).ConfigureAwait(false)).Where(b => b.Target == target.Name && !b.System).ToList();
        var selection = Policy.KeepSelector.Select([.. mine.Select(b => (b.Id, b.CreatedAt))], policy);
        if (selection.Forget.Count == 0)
        {
            return;
        }

        context.Report($"forgetting {selection.Forget.Count} backup(s) that {keep} does not keep, and pruning {target.Name}");
        await runner.WithUnlockAsync(restic, target.Name, () => restic.ForgetAsync(Policy.ResticForgetArgs.For(selection), ct), ct).ConfigureAwait(false);
        await store.DeleteAsync(target.Name, selection.Forget, CancellationToken.None).ConfigureAwait(false);
        await runner.WithUnlockAsync(restic, target.Name, () => restic.PruneAsync(ct), ct).ConfigureAwait(false);
        events.Lifecycle("container.backups-pruned", name, context.Job.Id, $"{selection.Forget.Count} forgotten in {target.Name} ({keep})");
    }

    private async Task CheckAsync(JobContext context, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        var restic = targets.Open(target);
        JobProcessTag.Enter(context.Job.Id);
        using var turn = await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false);
        var subset = args.ReadDataSubset;
        if (args.ReadDataParts is { } parts)
        {
            subset = RotatingSubset.Part((await store.ChecksRunAsync(ct).ConfigureAwait(false)).GetValueOrDefault(target.Name), parts);
        }

        context.Report(subset is not null ? $"checking {target.Name}, reading back {subset} of the data" : $"checking {target.Name}");
        await runner.WithUnlockAsync(restic, target.Name, () => restic.CheckAsync(subset, ct), ct).ConfigureAwait(false);
        if (args.ReadDataParts is not null)
        {
            // Only a check that read its part moves on: a failed one reads the same part again next time.
            await store.CountCheckAsync(target.Name, CancellationToken.None).ConfigureAwait(false);
        }

        events.Publish("lifecycle", "backup-target.checked", target.Name, context.Job.Id, subset);
    }

    private async Task BackupSystemAsync(JobContext context, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        var dir = await staging.PrepareAsync(BackupJobKinds.SystemTarget, ct).ConfigureAwait(false);
        ResticSummary summary;
        try
        {
            context.Report("copying the database (online SQLite backup)");
            var copy = Path.Combine(dir, "berth.db");
            await using (var source = await database.OpenAsync(ct).ConfigureAwait(false))
            {
                await using var destination = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
                await destination.OpenAsync(ct).ConfigureAwait(false);
                ((SqliteConnection)source).BackupDatabase(destination);
            }

            await File.WriteAllTextAsync(Path.Combine(dir, "host-id"), targets.HostId + "\n", ct).ConfigureAwait(false);
            JobProcessTag.Enter(context.Job.Id);
            using var turn = await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false);
            summary = await runner.BackupAsync(context, target, dir, ["berth.db", "host-id"], [BackupTags.System], ct).ConfigureAwait(false);
        }
        finally
        {
            await staging.RemoveAsync(BackupJobKinds.SystemTarget, CancellationToken.None).ConfigureAwait(false);
        }

        await store.InsertAsync(new BackupRecord
        {
            Target = target.Name,
            Id = summary.SnapshotId,
            System = true,
            CreatedAt = time.GetUtcNow(),
            SizeBytes = summary.Bytes,
            Files = summary.Files,
        }, CancellationToken.None).ConfigureAwait(false);
        events.Publish("lifecycle", "system.backed-up", BackupJobKinds.SystemTarget, context.Job.Id);
    }

    private async Task RestoreAsync(JobContext context, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var target = await targets.RequireAsync(args.Target, ct).ConfigureAwait(false);
        var restic = targets.Open(target);
        JobProcessTag.Enter(context.Job.Id);
        if (args.To is { } to)
        {
            await RestorePathAsync(context, restic, target, args, to).ConfigureAwait(false);
            return;
        }

        if (args.Path is not null)
        {
            await RestoreIntoAsync(context, restic, target, args).ConfigureAwait(false);
            return;
        }

        var name = args.Container!;
        if (runtime.GetStatus(name) != ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container is running", $"'{name}' is running; stop it first, or restore into a new container with as.");
        }

        var pool = await pools.PoolOfAsync(name, ct).ConfigureAwait(false);
        var driver = pools.DriverOf(pool);
        var root = pool.Name == StoragePool.DefaultName ? paths.LxcPath : pool.Path;
        var aside = Path.Combine(root, ".restore-" + context.Job.Id);
        var fresh = Path.Combine(aside, "rootfs");
        var previous = Path.Combine(aside, "previous");
        var rootfs = driver.RootfsPath(pool, name);
        var swapped = false;
        StorageLayout.EnsurePrivate(aside);
        try
        {
            await driver.CreateTreeAsync(pool, fresh, ct).ConfigureAwait(false);
            using (await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false))
            {
                context.Report($"restoring {args.Backup![..8]} from {target.Name}");
                await runner.WithUnlockAsync(restic, target.Name, () => restic.RestoreAsync(args.Backup!, aside, ["/rootfs"], ct), ct).ConfigureAwait(false);
            }

            // The swap is two renames at the very end: until then the container's own tree is untouched.
            Directory.Move(rootfs, previous);
            try
            {
                Directory.Move(fresh, rootfs);
            }
            catch
            {
                Directory.Move(previous, rootfs);
                throw;
            }

            swapped = true;
            var record = await containers.GetAsync(name, ct).ConfigureAwait(false);
            if (record?.Config.TryGetValue(Containers.ContainerConfig.LimitsDisk, out var disk) == true && Containers.ByteSize.TryParse(disk, out var bytes))
            {
                await driver.SetQuotaAsync(pool, name, bytes, ct).ConfigureAwait(false);
            }
        }
        finally
        {
            if (Directory.Exists(swapped ? previous : fresh))
            {
                await driver.DeleteTreeAsync(pool, swapped ? previous : fresh, CancellationToken.None).ConfigureAwait(false);
            }

            await Images.ImageStore.RemoveTreeAsync(aside).ConfigureAwait(false);
        }

        events.Lifecycle("container.restored", name, context.Job.Id, $"from backup {args.Backup![..8]} in {target.Name}");
    }

    /// <summary>
    /// One path of the tree, into the container itself (running or stopped): restic restores it into a private scratch
    /// directory at the root of the container's tree, reached through the directory's descriptor; the entry is then
    /// moved to the path by descriptors (the container's own view of the path, inside its root), swapping with what was
    /// there, and the scratch directory with the old entry is deleted.
    /// </summary>
    private async Task RestoreIntoAsync(JobContext context, ResticRepository restic, BackupTargetRecord target, BackupArgs args)
    {
        var ct = context.CancellationToken;
        var name = args.Container!;
        var record = await containers.GetAsync(name, ct).ConfigureAwait(false) ?? throw Containers.ContainerName.NotFound(name);
        if (record.Privileged && runtime.GetStatus(name) != ContainerStatus.Stopped)
        {
            throw DomainError.Conflict("Container is running", $"'{name}' is privileged and running: its root could reach the scratch directory; stop it first to restore {args.Path} into it.");
        }

        var path = Files.ContainerFilePath.Parse(args.Path);
        var scratchName = ".berth-restore-" + context.Job.Id;
        using var tree = await files.OpenAsync(name, ct).ConfigureAwait(false);
        bool replaced;
        // Made before the try: a name that exists already is refused and, not being ours, never deleted.
        using var scratch = tree.MakeScratch(scratchName);
        try
        {
            using (await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false))
            {
                context.Report($"restoring {args.Path} from {args.Backup![..8]}");
                await runner.WithUnlockAsync(restic, target.Name, () => restic.RestoreAsync(args.Backup!, scratch.ProcPath, ["/rootfs" + args.Path], ct), ct).ConfigureAwait(false);
            }

            var from = scratch.OpenDirectory("rootfs");
            foreach (var part in path.Parent)
            {
                var next = from?.OpenDirectory(part);
                from?.Dispose();
                from = next;
            }

            using (from)
            {
                if (from?.Stat(path.Name) is null)
                {
                    throw DomainError.NotFound("Path not in backup", $"backup {args.Backup![..8]} holds no {args.Path}; nothing was restored.");
                }

                replaced = tree.Place(from, path.Name, path);
            }
        }
        finally
        {
            try
            {
                tree.Delete(Files.ContainerFilePath.Parse("/" + scratchName), recursive: true);
            }
            catch (DomainError)
            {
                // Gone already.
            }
        }

        events.Lifecycle("backup.path-restored", name, context.Job.Id, $"{args.Path} from backup {args.Backup![..8]}" + (replaced ? ", replacing what was there" : ""));
    }

    /// <summary>One path of the tree, into an existing host directory (admins only): it appears there under its own name.</summary>
    private async Task RestorePathAsync(JobContext context, ResticRepository restic, BackupTargetRecord target, BackupArgs args, string to)
    {
        var ct = context.CancellationToken;
        var relative = args.Path!.TrimStart('/');
        var destination = Path.Combine(to, Path.GetFileName(relative));
        if (Path.Exists(destination))
        {
            throw DomainError.Conflict("Destination exists", $"{destination} already exists; remove it or restore to another directory.");
        }

        var scratch = Path.Combine(to, ".berth-restore-" + context.Job.Id);
        StorageLayout.EnsurePrivate(scratch);
        try
        {
            using (await runner.TakeTurnAsync(target.Name, ct).ConfigureAwait(false))
            {
                context.Report($"restoring {args.Path} from {args.Backup![..8]}");
                await runner.WithUnlockAsync(restic, target.Name, () => restic.RestoreAsync(args.Backup!, scratch, ["/rootfs/" + relative], ct), ct).ConfigureAwait(false);
            }

            var restored = Path.Combine(scratch, "rootfs", relative);
            if (!Path.Exists(restored) && !File.Exists(restored) && new FileInfo(restored).LinkTarget is null)
            {
                throw DomainError.NotFound("Path not in backup", $"backup {args.Backup![..8]} holds no {args.Path}; nothing was restored.");
            }

            if (Directory.Exists(restored) && new FileInfo(restored).LinkTarget is null)
            {
                Directory.Move(restored, destination);
            }
            else
            {
                File.Move(restored, destination);
            }
        }
        finally
        {
            await Images.ImageStore.RemoveTreeAsync(scratch).ConfigureAwait(false);
        }

        events.Publish("lifecycle", "backup.path-restored", args.Container ?? "", context.Job.Id);
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Backed up {Container} to {Target} as {Snapshot}: {Files} files, {Added} bytes added")]
        public static partial void BackedUp(ILogger logger, string container, string target, string snapshot, long files, long added);
    }
}
